import { Box, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { createPortal } from "react-dom";

import type { MlmError } from "../app/graphql";

/**
 * A dialog in the visible area: fixed near the top of the viewport over a dimmed page,
 * scrolling inside itself when its form is taller (a form opened below the fold was issue
 * 20's complaint). Escape and the backdrop close it; focus moves into it and back when it
 * closes. Not Radix's modal: that hides everything outside the dialog from assistive
 * technology and the pointer, including the partner picker's list, which opens in a portal.
 */
export function Dialog({
  title,
  testId,
  onClose,
  children,
  actions,
  width = 520,
}: {
  title: string;
  testId: string;
  onClose(): void;
  children: ReactNode;
  actions: ReactNode;
  width?: number;
}) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    box.current?.querySelector<HTMLElement>("textarea, input, button")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !document.querySelector("[role=listbox]:not(:empty)")) close.current();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      before?.focus?.();
    };
  }, []);
  return createPortal(
    <Box position="fixed" __inset="0" zIndex="3" data-testid={`${testId}-backdrop`}>
      <Box position="absolute" __inset="0" __backgroundColor="rgba(0, 0, 0, 0.45)" onClick={onClose} aria-hidden="true" />
      <Box
        ref={box}
        role="dialog"
        aria-labelledby={titleId}
        data-testid={testId}
        backgroundColor="default1"
        padding={6}
        borderRadius={4}
        boxShadow="defaultModal"
        display="flex"
        flexDirection="column"
        gap={4}
        position="absolute"
        __left="50%"
        __top="8vh"
        __transform="translateX(-50%)"
        __width={`min(${width}px, 94vw)`}
        __maxHeight="84vh"
        overflowY="auto"
      >
        <Text as="h2" size={6} fontWeight="bold" id={titleId}>
          {title}
        </Text>
        {children}
        <Box display="flex" justifyContent="flex-end" gap={2} flexWrap="wrap">
          {actions}
        </Box>
      </Box>
    </Box>,
    document.body,
  );
}

/** A mutation's errors: those of an input field (by its camelCase name) and the rest. */
export function splitErrors(errors: MlmError[], fields: string[]): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  for (const error of errors) {
    if (error.field && fields.includes(error.field)) byField[error.field] = byField[error.field] ? `${byField[error.field]} ${error.message}` : error.message;
    else other.push(error.message);
  }
  return { byField, other };
}

/** The errors no field shows, in the dialog (role=alert: read out when they appear). */
export function DialogErrors({ messages }: { messages: string[] }) {
  if (!messages.length) return null;
  return (
    <Box role="alert" data-testid="dialog-errors" padding={3} borderRadius={4} borderStyle="solid" borderWidth={1} borderColor="critical1">
      {messages.map((message) => (
        <Text key={message} size={3} display="block">
          {message}
        </Text>
      ))}
    </Box>
  );
}
