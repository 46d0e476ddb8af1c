import { Box, Button, Text } from "@saleor/macaw-ui";
import QRCode from "qrcode";
import { useEffect, useState } from "react";

import { useOffice } from "../app/context";

/** A value with a copy button that says when it copied. */
export function Copyable({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useOffice();
  const [copied, setCopied] = useState(false);
  const text = copied ? t("share.copied") : t("share.copy");
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
        {/* The name starts with the visible text, also once it says "Copied" (axe: label-content-name-mismatch). */}
        <Button size="small" variant="secondary" onClick={copy} data-testid="copy" aria-label={`${text}: ${label}`}>
          {text}
        </Button>
        <span role="status" className="visually-hidden">
          {copied ? t("share.copied") : ""}
        </span>
      </Box>
    </Box>
  );
}

/** The QR code of `value`, made in the browser (the `qrcode` package), as an SVG image. */
export function QrImage({ value }: { value: string }) {
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

/** The phone's own share sheet (Web Share API), where the browser has one. */
export function ShareButton({ title, text, url }: { title: string; text: string; url: string }) {
  const { t } = useOffice();
  if (typeof navigator.share !== "function") return null;
  const share = () => navigator.share({ title, text, url }).catch(() => undefined); // closed by the person: nothing to say
  return (
    <Button variant="secondary" onClick={share} data-testid="share-sheet">
      {t("share.send")}
    </Button>
  );
}
