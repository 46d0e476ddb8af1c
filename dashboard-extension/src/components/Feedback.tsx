import { Box, Button, Skeleton, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";

import { useApp, useOptionalApp } from "../app/context";
import { translator } from "../app/i18n";

/** The API lacks what this part needs: say exactly which fields, show nothing made up. */
export function MissingApi({ fields }: { fields: string[] }) {
  const { t } = useApp();
  return (
    <Box
      data-testid="missing-api"
      data-missing={fields.join(",")}
      padding={4}
      borderRadius={4}
      __borderStyle="dashed"
      borderWidth={1}
      borderColor="default1"
      display="flex"
      flexDirection="column"
      gap={1}
    >
      <Text size={3} fontWeight="bold">
        {t("missing.title")}
      </Text>
      <Text size={2} color="default2">
        {t("missing.text", { fields: fields.join(", ") })}
      </Text>
    </Box>
  );
}

/** A failure ("Something went wrong: ..."), or with `refusal` a rule that said no, in its own words. */
export function ErrorMessage({ error, onRetry, refusal = false }: { error: Error; onRetry?: () => void; refusal?: boolean }) {
  const t = useOptionalApp()?.t ?? translator("en");
  return (
    <Box data-testid="error" display="flex" alignItems="center" gap={3} padding={4} borderRadius={4} backgroundColor="critical1">
      <Text size={3} color="critical1">
        {refusal ? error.message : t("app.error", { message: error.message })}
      </Text>
      {onRetry && (
        <Button variant="secondary" size="small" onClick={onRetry}>
          {t("app.retry")}
        </Button>
      )}
    </Box>
  );
}

export function Loading({ rows = 3 }: { rows?: number }) {
  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid="loading">
      {Array.from({ length: rows }, (_, index) => (
        <Skeleton key={index} __height="20px" />
      ))}
    </Box>
  );
}

/** In the demo there is no Dashboard to show notifications: a small toast stack instead. */
export function DemoToasts() {
  const [toasts, setToasts] = useState<Array<{ id: number; status: string; title: string; text?: string }>>([]);
  useEffect(() => {
    let next = 0;
    const onToast = (event: Event) => {
      const detail = (event as CustomEvent).detail;
      const id = ++next;
      setToasts((current) => [...current, { id, ...detail }]);
      window.setTimeout(() => setToasts((current) => current.filter((toast) => toast.id !== id)), 5000);
    };
    window.addEventListener("mlm-notification", onToast);
    return () => window.removeEventListener("mlm-notification", onToast);
  }, []);
  if (!toasts.length) return null;
  return (
    <Box position="fixed" __right="16px" __bottom="16px" display="flex" flexDirection="column" gap={2} zIndex="3">
      {toasts.map((toast) => (
        <Box
          key={toast.id}
          data-testid="toast"
          padding={3}
          borderRadius={4}
          boxShadow="defaultOverlay"
          backgroundColor={toast.status === "error" ? "critical1" : "default1"}
          borderStyle="solid"
          borderWidth={1}
          borderColor={toast.status === "error" ? "critical1" : "default1"}
          __maxWidth="360px"
        >
          <Text size={3} fontWeight="bold" display="block">
            {toast.title}
          </Text>
          {toast.text && (
            <Text size={2} color="default2">
              {toast.text}
            </Text>
          )}
        </Box>
      ))}
    </Box>
  );
}
