import { Box } from "@saleor/macaw-ui";
import { useEffect, useRef, type ReactNode } from "react";

import { useApp } from "../app/context";

/** A widget's box: padded like a Dashboard card, and it reports its height to the Dashboard. */
export function WidgetFrame({ children, testId }: { children: ReactNode; testId: string }) {
  const { host } = useApp();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const report = () => host.resizeWidget(element.getBoundingClientRect().height);
    report();
    const observer = typeof ResizeObserver !== "undefined" ? new ResizeObserver(report) : null;
    observer?.observe(element);
    return () => observer?.disconnect();
  }, [host]);
  return (
    <Box ref={box} padding={4} display="flex" flexDirection="column" gap={3} data-testid={testId}>
      {children}
    </Box>
  );
}
