import { Text } from "@saleor/macaw-ui";

import { useApp } from "../app/context";
import { WidgetFrame } from "./WidgetFrame";
import { MissingApi } from "../components/Feedback";

/** Who was credited with what for an order: the ledger's attributions, from the API. */
export const ORDER_WIDGET_FIELDS = ["Query.orderAttribution"];

export function OrderWidget() {
  const { t, capabilities } = useApp();
  const missing = capabilities.missing(ORDER_WIDGET_FIELDS);
  return (
    <WidgetFrame testId="order-widget">
      <Text size={4} fontWeight="bold">
        {t("widget.order.title")}
      </Text>
      <MissingApi fields={missing.length ? missing : ORDER_WIDGET_FIELDS} />
    </WidgetFrame>
  );
}
