import { Box, Text } from "@saleor/macaw-ui";

import { useApp } from "../../app/context";
import type { MlmError } from "../../app/graphql";
import { useLink } from "../../app/router";
import { DataTable } from "../../components/DataTable";
import { Page, Section } from "../../components/Layout";
import { nextYearsFirstNumber } from "./creditNoteNumber";
import { PendingRegistrations, RegistrationSettingsCard } from "./RegistrationSettings";
import { SettingsCard } from "./SettingsCard";

/**
 * The merchant's settings (issue 20 item 1), each group with the API's query and mutation:
 * PV/BV (`volumeSettings`), partner codes (`partnerVoucher`), the minimum payout
 * (`payoutSettings`, `payoutSettingsUpdate`), exchange rates with a CSV upload (`exchangeRates`,
 * `exchangeRatesImport`), credit notes' number series, issuer and VAT rates
 * (`creditNoteSettings`), online registration in the partner office (terms, approval and the
 * registrations waiting for it: RegistrationSettings.tsx). The plan has its own page.
 */
const VOLUME = `query VolumeSettings { volumeSettings { planCurrency pvPerBv pvMetadataKey bvMetadataKey referralMetadataKey } }`;
const VOLUME_UPDATE = `mutation VolumeSettingsUpdate($input: VolumeSettingsInput!) { volumeSettingsUpdate(input: $input) { errors { field code message } } }`;
const VOUCHER = `query PartnerVoucher { partnerVoucher { discountPercent channelSlugs saleorVoucherId synced } }`;
const VOUCHER_UPDATE = `mutation PartnerVoucherUpdate($input: PartnerVoucherInput!) { partnerVoucherUpdate(input: $input) { errors { field code message } } }`;
const PAYOUT = `query PayoutSettings { payoutSettings { minimumPayout } volumeSettings { planCurrency } }`;
const PAYOUT_UPDATE = `mutation PayoutSettingsUpdate($input: PayoutSettingsInput!) { payoutSettingsUpdate(input: $input) { errors { field code message } } }`;
const RATES = `query ExchangeRates { volumeSettings { planCurrency } exchangeRates(first: 20) { totalCount edges { node { currency planCurrency rate validOn } } } }`;
const RATES_IMPORT = `mutation ExchangeRatesImport($csv: String!, $filename: String) { exchangeRatesImport(csv: $csv, filename: $filename) { errors { field code message } rows created updated unchanged } }`;
const CREDIT_NOTES = `query CreditNoteSettings { creditNoteSettings {
  numberPrefix numberStart retentionYears issuerName issuerStreet issuerPostalCode issuerCity issuerCountry issuerTaxNumber issuerVatId issuerEmail
  vatRates { country rate }
} }`;
const CREDIT_NOTES_UPDATE = `mutation CreditNoteSettingsUpdate($input: CreditNoteSettingsInput!) { creditNoteSettingsUpdate(input: $input) { errors { field code message } } }`;
const VAT_RATE = `mutation VatRateSet($country: String!, $rate: Decimal) { vatRateSet(country: $country, rate: $rate) { errors { field code message } } }`;

interface VolumeAnswer {
  volumeSettings: { planCurrency: string; pvPerBv: string; pvMetadataKey: string; bvMetadataKey: string; referralMetadataKey: string };
}
interface VoucherAnswer {
  partnerVoucher: { discountPercent: string; channelSlugs: string[]; saleorVoucherId: string | null; synced: boolean };
}
interface PayoutAnswer {
  payoutSettings: { minimumPayout: string };
  volumeSettings: { planCurrency: string };
}
interface Rate {
  currency: string;
  planCurrency: string;
  rate: string;
  validOn: string;
}
interface RatesAnswer {
  volumeSettings: { planCurrency: string };
  exchangeRates: { totalCount: number; edges: Array<{ node: Rate }> };
}
interface CreditNoteSettings {
  numberPrefix: string;
  numberStart: number;
  retentionYears: number;
  issuerName: string;
  issuerStreet: string;
  issuerPostalCode: string;
  issuerCity: string;
  issuerCountry: string;
  issuerTaxNumber: string;
  issuerVatId: string;
  issuerEmail: string;
  vatRates: Array<{ country: string; rate: string }>;
}
interface CreditNotesAnswer {
  creditNoteSettings: CreditNoteSettings;
}

/** A decimal of the API as typed in a field: "25.0000" -> "25", "0.9215000000" -> "0.9215". */
const plain = (value: string) => (value.includes(".") ? value.replace(/0+$/, "").replace(/\.$/, "") : value);

/** Only what changed goes to the API (an unchanged field is left out of the input). */
function changed(values: Record<string, string>, before: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name, value]) => value !== (before[name] ?? "")));
}

export function SettingsPage() {
  const { t, format, client } = useApp();
  const planLink = useLink({ name: "plan" });
  const errorsOf = async (query: string, variables: Record<string, unknown>, key: string) =>
    (await client.request<Record<string, { errors: MlmError[] }>>(query, variables))[key].errors;
  const volumeValues = (data: VolumeAnswer) => ({
    pvPerBv: data.volumeSettings.pvPerBv,
    pvMetadataKey: data.volumeSettings.pvMetadataKey,
    bvMetadataKey: data.volumeSettings.bvMetadataKey,
    referralMetadataKey: data.volumeSettings.referralMetadataKey,
  });
  const creditNoteValues = (data: CreditNotesAnswer) => {
    const { vatRates: _rates, numberStart, retentionYears, ...text } = data.creditNoteSettings;
    return { ...text, numberStart: String(numberStart), retentionYears: String(retentionYears) };
  };

  return (
    <Page title={t("settings.title")}>
      <Section testId="settings-plan">
        <Text size={2} color="default2">
          {t("settings.planIntro")}{" "}
          <Box as="a" {...planLink} textDecoration="none" data-testid="settings-plan-link">
            <Text size={2} color="accent1">
              {t("settings.planLink")}
            </Text>
          </Box>
        </Text>
      </Section>

      <SettingsCard<VolumeAnswer>
        title={t("settings.volume")}
        testId="settings-volume"
        intro={t("settings.volumeIntro")}
        needs={["Query.volumeSettings", "Mutation.volumeSettingsUpdate"]}
        query={VOLUME}
        facts={(data) => [
          { label: t("settings.planCurrency"), value: data.volumeSettings.planCurrency },
          { label: t("settings.pvPerBv"), value: format.exactNumber(data.volumeSettings.pvPerBv), testId: "settings-pv-per-bv" },
          { label: t("settings.pvMetadataKey"), value: data.volumeSettings.pvMetadataKey },
          { label: t("settings.bvMetadataKey"), value: data.volumeSettings.bvMetadataKey },
          { label: t("settings.referralMetadataKey"), value: data.volumeSettings.referralMetadataKey },
        ]}
        edits={[
          {
            label: t("settings.change"),
            title: t("settings.volume"),
            fields: [
              { name: "pvPerBv", label: t("settings.pvPerBv"), required: true, inputMode: "decimal", help: t("settings.pvPerBvHelp") },
              { name: "pvMetadataKey", label: t("settings.pvMetadataKey"), required: true },
              { name: "bvMetadataKey", label: t("settings.bvMetadataKey"), required: true },
              { name: "referralMetadataKey", label: t("settings.referralMetadataKey"), required: true, help: t("settings.referralMetadataKeyHelp") },
            ],
            initial: volumeValues,
            submit: (values, data) => errorsOf(VOLUME_UPDATE, { input: changed(values, volumeValues(data)) }, "volumeSettingsUpdate"),
            done: t("settings.saved"),
          },
        ]}
      />

      <SettingsCard<VoucherAnswer>
        title={t("settings.voucher")}
        testId="settings-voucher"
        intro={t("settings.voucherIntro")}
        needs={["Query.partnerVoucher", "Mutation.partnerVoucherUpdate"]}
        query={VOUCHER}
        facts={(data) => [
          { label: t("settings.discount"), value: `${format.exactNumber(data.partnerVoucher.discountPercent)} %`, testId: "settings-discount" },
          {
            label: t("settings.channels"),
            value: data.partnerVoucher.channelSlugs.length ? data.partnerVoucher.channelSlugs.join(", ") : t("settings.allChannels"),
            testId: "settings-channels",
          },
          { label: t("settings.voucherSync"), value: data.partnerVoucher.synced ? t("settings.synced") : t("settings.notSynced") },
        ]}
        edits={[
          {
            label: t("settings.change"),
            title: t("settings.voucher"),
            fields: [
              { name: "discountPercent", label: t("settings.discountPercent"), required: true, inputMode: "decimal", help: t("settings.discountHelp") },
              { name: "channelSlugs", label: t("settings.channels"), help: t("settings.channelsHelp") },
            ],
            initial: (data) => ({ discountPercent: plain(data.partnerVoucher.discountPercent), channelSlugs: data.partnerVoucher.channelSlugs.join(", ") }),
            submit: (values) =>
              errorsOf(
                VOUCHER_UPDATE,
                { input: { discountPercent: values.discountPercent, channelSlugs: values.channelSlugs.split(",").map((slug) => slug.trim()).filter(Boolean) } },
                "partnerVoucherUpdate",
              ),
            done: t("settings.voucherSaved"),
          },
        ]}
      />

      <SettingsCard<PayoutAnswer>
        title={t("settings.payouts")}
        testId="settings-payouts"
        intro={t("settings.payoutsIntro")}
        needs={["Query.payoutSettings", "Mutation.payoutSettingsUpdate", "PayoutSettingsInput.minimumPayout"]}
        query={PAYOUT}
        facts={(data) => [
          {
            label: t("settings.minimumPayout"),
            value: format.exactMoney(data.payoutSettings.minimumPayout, data.volumeSettings.planCurrency),
            testId: "settings-minimum-payout",
          },
        ]}
        edits={[
          {
            label: t("settings.change"),
            title: t("settings.minimumPayout"),
            fields: [{ name: "minimumPayout", label: t("settings.minimumPayout"), required: true, inputMode: "decimal", help: t("settings.minimumPayoutHelp") }],
            initial: (data) => ({ minimumPayout: plain(data.payoutSettings.minimumPayout) }),
            submit: (values) => errorsOf(PAYOUT_UPDATE, { input: { minimumPayout: values.minimumPayout } }, "payoutSettingsUpdate"),
            done: t("settings.saved"),
          },
        ]}
      />

      <SettingsCard<RatesAnswer>
        title={t("settings.rates")}
        testId="settings-rates"
        intro={t("settings.ratesIntro")}
        needs={["Query.exchangeRates", "Mutation.exchangeRatesImport"]}
        query={RATES}
        facts={(data) => [{ label: t("settings.ratesStored"), value: String(data.exchangeRates.totalCount), testId: "settings-rates-count" }]}
        edits={[
          {
            label: t("settings.ratesUpload"),
            title: t("settings.ratesUpload"),
            fields: [{ name: "csvFile", label: t("settings.ratesFile"), kind: "file", accept: ".csv,text/csv", required: true, help: t("settings.ratesFileHelp") }],
            initial: () => ({}),
            submit: (values) => errorsOf(RATES_IMPORT, { csv: values.csvFile, filename: "rates.csv" }, "exchangeRatesImport"),
            done: t("settings.ratesImported"),
          },
        ]}
      >
        {(data) => (
          <DataTable<Rate>
            testId="settings-rates-table"
            columns={[
              { key: "date", header: t("settings.rateDate"), render: (row) => <Text size={2}>{format.date(row.validOn)}</Text> },
              { key: "currency", header: t("settings.rateCurrency"), render: (row) => <Text size={2}>{row.currency}</Text> },
              {
                key: "rate",
                header: t("settings.rate"),
                align: "right",
                render: (row) => <Text size={2}>{t("settings.rateValue", { currency: row.currency, rate: format.exactNumber(row.rate), planCurrency: row.planCurrency })}</Text>,
              },
            ]}
            rows={data.exchangeRates.edges.map((edge) => edge.node)}
            rowKey={(row) => `${row.validOn}-${row.currency}-${row.planCurrency}`}
            empty={<Text color="default2">{t("settings.noRates", { currency: data.volumeSettings.planCurrency })}</Text>}
          />
        )}
      </SettingsCard>

      <SettingsCard<CreditNotesAnswer>
        title={t("settings.creditNotes")}
        testId="settings-credit-notes"
        intro={t("settings.creditNotesIntro")}
        needs={["Query.creditNoteSettings", "Mutation.creditNoteSettingsUpdate", "Mutation.vatRateSet"]}
        query={CREDIT_NOTES}
        facts={(data) => {
          const settings = data.creditNoteSettings;
          return [
            { label: t("settings.numbers"), value: nextYearsFirstNumber(settings.numberPrefix, settings.numberStart, new Date()), testId: "settings-number-example" },
            { label: t("settings.retentionYears"), value: t("settings.years", { count: settings.retentionYears }) },
            {
              label: t("settings.issuer"),
              value: [settings.issuerName, settings.issuerStreet, `${settings.issuerPostalCode} ${settings.issuerCity}`.trim(), settings.issuerCountry].filter(Boolean).join(", ") || t("settings.issuerMissing"),
              testId: "settings-issuer",
            },
            { label: t("settings.issuerTaxIds"), value: [settings.issuerTaxNumber, settings.issuerVatId].filter(Boolean).join(" · ") || t("common.none") },
            { label: t("settings.issuerEmail"), value: settings.issuerEmail || t("common.none") },
            {
              label: t("settings.vatRates"),
              value: settings.vatRates.length ? settings.vatRates.map((rate) => `${rate.country} ${format.exactNumber(rate.rate)} %`).join(", ") : t("settings.vatDefault"),
              testId: "settings-vat-rates",
            },
          ];
        }}
        edits={[
          {
            label: t("settings.change"),
            title: t("settings.creditNotes"),
            fields: [
              { name: "numberPrefix", label: t("settings.numberPrefix"), help: t("settings.numberPrefixHelp") },
              { name: "numberStart", label: t("settings.numberStart"), inputMode: "decimal", help: t("settings.numberStartHelp") },
              { name: "retentionYears", label: t("settings.retentionYears"), inputMode: "decimal", help: t("settings.retentionHelp") },
              { name: "issuerName", label: t("settings.issuerName") },
              { name: "issuerStreet", label: t("settings.issuerStreet") },
              { name: "issuerPostalCode", label: t("settings.issuerPostalCode") },
              { name: "issuerCity", label: t("settings.issuerCity") },
              { name: "issuerCountry", label: t("settings.issuerCountry") },
              { name: "issuerTaxNumber", label: t("settings.issuerTaxNumber") },
              { name: "issuerVatId", label: t("settings.issuerVatId") },
              { name: "issuerEmail", label: t("settings.issuerEmail"), inputMode: "email" },
            ],
            initial: creditNoteValues,
            submit: (values, data) => {
              const input: Record<string, unknown> = changed(values, creditNoteValues(data));
              for (const name of ["numberStart", "retentionYears"]) {
                if (name in input) input[name] = /^\d+$/.test(String(input[name])) ? Number(input[name]) : -1;
              }
              return errorsOf(CREDIT_NOTES_UPDATE, { input }, "creditNoteSettingsUpdate");
            },
            done: t("settings.saved"),
          },
          {
            label: t("settings.setVatRate"),
            title: t("settings.setVatRate"),
            fields: [
              { name: "country", label: t("settings.vatCountry"), required: true, help: t("settings.vatCountryHelp") },
              { name: "rate", label: t("settings.vatRate"), inputMode: "decimal", help: t("settings.vatRateHelp") },
            ],
            initial: () => ({}),
            submit: (values) => errorsOf(VAT_RATE, { country: values.country, rate: values.rate || null }, "vatRateSet"),
            done: t("settings.saved"),
          },
        ]}
      />

      <RegistrationSettingsCard />
      <PendingRegistrations />
    </Page>
  );
}
