import { Box, Button, Text } from "@saleor/macaw-ui";
import QRCode from "qrcode";
import { useEffect, useState } from "react";

import { useOffice, useQuery } from "../app/context";
import { Card, ErrorMessage, Loading } from "../components/Feedback";

export const SHARE = `query OfficeShare { me { partner { id referralCode voucherCode referralLink } } }`;

/** A value with a copy button that says when it copied. */
function Copyable({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useOffice();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(value);
    setCopied(true);
    window.setTimeout(() => setCopied(false), 2000);
  };
  return (
    <Box display="flex" flexDirection="column" gap={1} data-testid={testId}>
      <Text size={2} color="default2">
        {label}
      </Text>
      <Box display="flex" alignItems="center" gap={2} flexWrap="wrap">
        <Text size={5} fontWeight="bold" data-testid="value" className="wrap-anywhere">
          {value}
        </Text>
        <Button size="small" variant="secondary" onClick={copy} data-testid="copy" aria-label={`${t("share.copy")}: ${label}`}>
          {copied ? t("share.copied") : t("share.copy")}
        </Button>
        <span role="status" className="visually-hidden">
          {copied ? t("share.copied") : ""}
        </span>
      </Box>
    </Box>
  );
}

/** The QR code of `value`, made in the browser (the `qrcode` package), as an SVG image. */
function QrImage({ value }: { value: string }) {
  const { t } = useOffice();
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    QRCode.toString(value, { type: "svg", errorCorrectionLevel: "M", margin: 2, color: { dark: "#000000", light: "#ffffff" } }).then((text) => current && setSvg(text));
    return () => {
      current = false;
    };
  }, [value]);
  if (!svg) return null;
  const source = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return (
    <Box display="flex" flexDirection="column" gap={2} alignItems="flex-start">
      <Box as="img" src={source} alt={t("share.qrAlt", { value })} data-testid="qr" data-value={value} __width="220px" __height="220px" />
      <Box as="a" href={source} download="qr-code.svg" color="default1" data-testid="qr-download">
        {t("share.download")}
      </Box>
    </Box>
  );
}

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
