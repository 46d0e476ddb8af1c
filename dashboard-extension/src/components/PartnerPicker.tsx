import { Box, DynamicCombobox } from "@saleor/macaw-ui";
import { useEffect, useRef, useState } from "react";

import { useApp } from "../app/context";
import { useAriaRepair } from "./ariaRepair";

const SEARCH = `query PartnerSearch($search: String) {
  partners(search: $search, first: 10, filter: {status: [ACTIVE, INACTIVE]}) {
    edges { node { id displayName referralCode email } }
  }
}`;

export interface PickedPartner {
  value: string;
  label: string;
}

/** Find a partner by name, e-mail or code (the API's `partners(search:)`). */
export function PartnerPicker({
  label,
  value,
  onChange,
  error,
  helperText,
  exclude,
  testId,
  placeholder,
}: {
  label: string;
  value: PickedPartner | null;
  onChange(value: PickedPartner | null): void;
  error?: boolean;
  helperText?: string;
  exclude?: string;
  testId?: string;
  placeholder?: string;
}) {
  const { client } = useApp();
  const [input, setInput] = useState("");
  const [options, setOptions] = useState<PickedPartner[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let current = true;
    setLoading(true);
    const timer = window.setTimeout(() => {
      client
        .request<{ partners: { edges: Array<{ node: { id: string; displayName: string; referralCode: string; email: string | null } }> } }>(
          SEARCH,
          { search: input.trim() || null },
        )
        .then((data) => {
          if (!current) return;
          setOptions(
            data.partners.edges
              .map((edge) => edge.node)
              .filter((node) => node.id !== exclude)
              .map((node) => ({ value: node.id, label: `${node.displayName} (${node.referralCode})` })),
          );
        })
        .catch(() => current && setOptions([]))
        .finally(() => current && setLoading(false));
    }, 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [client, input, exclude]);

  const box = useRef<HTMLDivElement>(null);
  useAriaRepair(box, label);
  return (
    <Box ref={box}>
      <DynamicCombobox
        label={label}
        value={value}
        options={options}
        loading={loading}
        onChange={(option) => onChange(option)}
        onInputValueChange={setInput}
        error={error}
        helperText={helperText}
        data-testid={testId}
        placeholder={placeholder}
        size="small"
      />
    </Box>
  );
}
