import { Box, Text } from "@saleor/macaw-ui";

import { useApp } from "../app/context";
import { MissingApi } from "../components/Feedback";

/** Who was credited with what for an order: the ledger's attributions, from the API. */
export const ORDER_WIDGET_FIELDS = ["Query.orderAttribution"];

export function OrderWidget() {
  const { t, capabilities } = useApp();
  const missing = capabilities.missing(ORDER_WIDGET_FIELDS);
  return (
    <Box padding={4} display="flex" flexDirection="column" gap={3} data-testid="order-widget">
      <Text size={4} fontWeight="bold">
        {t("widget.order.title")}
      </Text>
      <MissingApi fields={missing.length ? missing : ORDER_WIDGET_FIELDS} />
    </Box>
  );
}
