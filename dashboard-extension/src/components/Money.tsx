import { Text } from "@saleor/macaw-ui";
import type { ComponentProps } from "react";

import { useApp } from "../app/context";

type TextProps = Pick<ComponentProps<typeof Text>, "size" | "fontWeight" | "color">;

/**
 * An amount in the currency's minor unit (€14.84); where the API's exact value has more
 * places (14.8358925) it shows on hover (`title`). The lines CSV keeps
 * the exact values too.
 */
export function Money({ value, currency, testId, size = 2, ...text }: { value: string | null | undefined; currency: string; testId?: string } & TextProps) {
  const { format } = useApp();
  const shown = format.money(value, currency);
  const exact = format.exactMoney(value, currency);
  const more = exact !== shown;
  return (
    <Text size={size} {...text} data-testid={testId} data-exact={value ?? undefined} title={more ? exact : undefined}>
      {shown}
    </Text>
  );
}
