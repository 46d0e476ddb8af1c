import { Box, Text } from "@saleor/macaw-ui";

import { useOffice } from "../app/context";
import type { MessageKey } from "../i18n";
import { TextField } from "./TextField";

/**
 * The fields of a tax profile (`TaxProfileInput`): the profile page's form and the registration
 * page's share them. Inputs are `<prefix>-<field>`, the statuses `<prefix>-status-<STATUS>`,
 * an error below its field.
 */
export interface TaxForm {
  legalName: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  taxNumber: string;
  vatId: string;
  taxStatus: string;
}

export const TAX_STATUSES = ["REGULAR", "SMALL_BUSINESS", "REVERSE_CHARGE", "NON_EU", "PRIVATE"] as const;
export const TAX_FIELDS: Array<{ name: Exclude<keyof TaxForm, "taxStatus">; label: MessageKey; autoComplete?: string }> = [
  { name: "legalName", label: "profile.legalName", autoComplete: "name" },
  { name: "street", label: "profile.street", autoComplete: "street-address" },
  { name: "postalCode", label: "profile.postalCode", autoComplete: "postal-code" },
  { name: "city", label: "profile.city", autoComplete: "address-level2" },
  { name: "country", label: "profile.countryCode", autoComplete: "country" },
  { name: "taxNumber", label: "profile.taxNumber" },
  { name: "vatId", label: "profile.vatId" },
];

export function TaxProfileFields({
  form,
  errors,
  onChange,
  prefix,
  disabled,
}: {
  form: TaxForm;
  errors: Record<string, string>;
  onChange(form: TaxForm): void;
  prefix: string;
  disabled?: boolean;
}) {
  const { t } = useOffice();
  return (
    <>
      {TAX_FIELDS.map((field) => (
        <TextField
          key={field.name}
          name={field.name}
          label={t(field.label)}
          value={form[field.name]}
          autoComplete={field.autoComplete}
          disabled={disabled}
          error={errors[field.name]}
          onChange={(value) => onChange({ ...form, [field.name]: value })}
          testId={`${prefix}-${field.name}`}
        />
      ))}
      <Box as="fieldset" display="flex" flexDirection="column" gap={1} borderWidth={0} padding={0} margin={0} disabled={disabled}>
        <Box as="legend" padding={0} marginBottom={1}>
          <Text size={3} fontWeight="medium">
            {t("profile.taxStatus")}
          </Text>
        </Box>
        {TAX_STATUSES.map((status) => (
          <Box as="label" key={status} display="flex" alignItems="center" gap={2}>
            <input
              type="radio"
              name={`${prefix}-taxStatus`}
              value={status}
              checked={form.taxStatus === status}
              onChange={() => onChange({ ...form, taxStatus: status })}
              data-testid={`${prefix}-status-${status}`}
            />
            <Text size={3}>{t(`taxStatus.${status}` as MessageKey)}</Text>
          </Box>
        ))}
        {errors.taxStatus && (
          <Text size={2} color="critical1" data-testid={`${prefix}-taxStatus-error`}>
            {errors.taxStatus}
          </Text>
        )}
      </Box>
    </>
  );
}
