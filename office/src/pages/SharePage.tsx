import { Box, Text } from "@saleor/macaw-ui";

import { useOffice, useQuery } from "../app/context";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { Copyable, QrImage } from "../components/Share";

export const SHARE = `query OfficeShare { me { partner { id referralCode voucherCode referralLink } } }`;

/** What a partner hands out: the referral link (with a QR code), the referral and voucher codes. */
export function SharePage() {
  const { t } = useOffice();
  const { data, error, loading, reload } = useQuery<{ me: { partner: { referralCode: string; voucherCode: string | null; referralLink: string | null } } }>(SHARE);
  if (error) return <ErrorMessage error={error} onRetry={reload} />;
  if (loading && !data) return <Loading />;
  if (!data) return null;
  const partner = data.me.partner;
  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="share">
      <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
        {t("share.title")}
      </Text>
      <Card title={t("share.link")} testId="share-link">
        {partner.referralLink ? <Copyable label={t("share.link")} value={partner.referralLink} testId="referral-link" /> : <Text size={3}>{t("share.noLink")}</Text>}
        <QrImage value={partner.referralLink ?? partner.referralCode} />
      </Card>
      <Card testId="share-codes">
        <Copyable label={t("share.code")} value={partner.referralCode} testId="referral-code" />
        {partner.voucherCode && <Copyable label={t("share.voucher")} value={partner.voucherCode} testId="voucher-code" />}
      </Card>
    </Box>
  );
}
