import { Box, Text } from "@saleor/macaw-ui";

import { useApp } from "../app/context";
import { useQuery } from "../app/useQuery";

/**
 * Says so when Saleor rejects the app's token (saleor_mlm/installations/connection.py): the
 * app then cannot write back to Saleor, create voucher codes or sync orders until it is
 * installed again. Nothing is shown while connected, or when the API lacks the field.
 */
export const CONNECTION_FIELDS = ["Query.appConnection"];

const CONNECTION = `query AppConnection { appConnection { connected disconnectedAt reason } }`;

export function ConnectionNotice() {
  const { t, format, capabilities } = useApp();
  const missing = capabilities.missing(CONNECTION_FIELDS).length > 0;
  const { data } = useQuery<{ appConnection: { connected: boolean; disconnectedAt: string | null; reason: string | null } }>(
    CONNECTION,
    {},
    missing,
  );
  if (missing || !data || data.appConnection.connected) return null;
  return (
    <Box data-testid="disconnected" padding={4} borderRadius={4} backgroundColor="critical1" display="flex" flexDirection="column" gap={1}>
      <Text size={4} fontWeight="bold" color="critical1">
        {t("connection.disconnected", { since: format.dateTime(data.appConnection.disconnectedAt) })}
      </Text>
      <Text size={2} color="critical1">
        {t("connection.reinstall")}
      </Text>
    </Box>
  );
}
