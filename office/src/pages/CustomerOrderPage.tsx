import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useState, type FormEvent } from "react";

import { useDebounced } from "../../../dashboard-extension/src/app/useDebounced";
import { useOffice, useQuery } from "../app/context";
import { Card, ErrorMessage, Loading } from "../components/Feedback";
import { CardItem, CardList } from "../components/List";
import { Copyable, QrImage, ShareButton } from "../components/Share";
import { TextField } from "../components/TextField";
import type { MessageKey } from "../i18n";

export const OFFICE_PRODUCTS = `query OfficeProducts($search: String) {
  officeProducts(search: $search, first: 20) { id name variants { id name sku price currency } }
}`;
export const OFFICE_COUNTRIES = `query OfficeCountries { officeCountries { code name } }`;
export const CUSTOMER_CHECKOUT_CREATE = `mutation OfficeCustomerCheckout($input: CustomerCheckoutInput!) {
  customerCheckoutCreate(input: $input) {
    errors { field code message }
    checkout { id email paymentUrl totalGross currency voucherCode referralCode }
  }
}`;

interface Variant {
  id: string;
  name: string;
  sku: string;
  price: string;
  currency: string;
}
interface Product {
  id: string;
  name: string;
  variants: Variant[];
}
interface Line {
  variant: Variant;
  productName: string;
  quantity: number;
}
interface Checkout {
  id: string;
  email: string;
  paymentUrl: string;
  totalGross: string;
  currency: string;
  voucherCode: string | null;
  referralCode: string;
}

const FIELDS: Array<{ name: keyof Customer; label: MessageKey; autoComplete?: string; optional?: boolean }> = [
  { name: "email", label: "order.email", autoComplete: "email" },
  { name: "firstName", label: "order.firstName", autoComplete: "given-name" },
  { name: "lastName", label: "order.lastName", autoComplete: "family-name" },
  { name: "companyName", label: "order.company", autoComplete: "organization", optional: true },
  { name: "streetAddress1", label: "order.street", autoComplete: "address-line1" },
  { name: "streetAddress2", label: "order.street2", autoComplete: "address-line2", optional: true },
  { name: "postalCode", label: "order.postalCode", autoComplete: "postal-code" },
  { name: "city", label: "order.city", autoComplete: "address-level2" },
  { name: "countryArea", label: "order.countryArea", autoComplete: "address-level1", optional: true },
  { name: "phone", label: "order.phone", autoComplete: "tel", optional: true },
];

type Customer = Record<"email" | "firstName" | "lastName" | "companyName" | "streetAddress1" | "streetAddress2" | "postalCode" | "city" | "countryArea" | "country" | "phone", string>;
const EMPTY: Customer = { email: "", firstName: "", lastName: "", companyName: "", streetAddress1: "", streetAddress2: "", postalCode: "", city: "", countryArea: "", country: "", phone: "" };

/** One product of the catalogue: its variant (when it has several), its price, "Add". */
function ProductItem({ product, onAdd }: { product: Product; onAdd(line: Line): void }) {
  const { t, format } = useOffice();
  const selectId = useId();
  const [variantId, setVariantId] = useState(product.variants[0].id);
  const variant = product.variants.find((candidate) => candidate.id === variantId) ?? product.variants[0];
  return (
    <CardItem
      extra={{ "data-product": product.id }}
      title={product.name}
      detail={
        product.variants.length > 1 ? (
          <Box as="span" display="flex" flexDirection="column" gap={1}>
            <label htmlFor={selectId}>{t("order.variant")}</label>
            <select id={selectId} className="office-select" value={variantId} onChange={(event) => setVariantId(event.target.value)} data-testid="product-variant">
              {product.variants.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.name || candidate.sku}
                </option>
              ))}
            </select>
          </Box>
        ) : (
          variant.sku
        )
      }
      aside={
        <>
          <Text size={4} fontWeight="bold" data-testid="product-price">
            {format.money(variant.price, variant.currency)}
          </Text>
          <Button size="small" variant="secondary" onClick={() => onAdd({ variant, productName: product.name, quantity: 1 })} data-testid="product-add" aria-label={t("order.addNamed", { name: product.name })}>
            {t("order.add")}
          </Button>
        </>
      }
    />
  );
}

function ProductPicker({ onAdd }: { onAdd(line: Line): void }) {
  const { t } = useOffice();
  const [search, setSearch] = useState("");
  const settled = useDebounced(search.trim());
  const { data, error, loading, reload } = useQuery<{ officeProducts: Product[] }>(OFFICE_PRODUCTS, { search: settled || null });
  return (
    <Card title={t("order.products")} testId="order-products">
      <TextField name="search" label={t("order.search")} value={search} onChange={setSearch} testId="product-search" />
      {error && <ErrorMessage error={error} onRetry={reload} />}
      {loading && !data && <Loading />}
      {data && data.officeProducts.length === 0 && (
        <Text size={3} data-testid="products-none">
          {t("order.noProducts")}
        </Text>
      )}
      {data && data.officeProducts.length > 0 && (
        <CardList testId="product-list">
          {data.officeProducts.map((product) => (
            <ProductItem key={product.id} product={product} onAdd={onAdd} />
          ))}
        </CardList>
      )}
    </Card>
  );
}

/** The chosen products with their quantities; the error of the lines beneath. */
function Cart({ lines, setLines, error }: { lines: Line[]; setLines(lines: Line[]): void; error?: string }) {
  const { t, format } = useOffice();
  const change = (index: number, quantity: number) =>
    setLines(quantity <= 0 ? lines.filter((_line, at) => at !== index) : lines.map((line, at) => (at === index ? { ...line, quantity: Math.min(quantity, 999) } : line)));
  return (
    <Card title={t("order.cart")} testId="order-cart">
      {lines.length === 0 ? (
        <Text size={3} color="default2" data-testid="cart-empty">
          {t("order.cartEmpty")}
        </Text>
      ) : (
        <CardList testId="cart-lines">
          {lines.map((line, index) => {
            const name = line.variant.name ? `${line.productName} (${line.variant.name})` : line.productName;
            return (
              <CardItem
                key={line.variant.id}
                testId="cart-line"
                extra={{ "data-variant": line.variant.id }}
                title={name}
                detail={t("order.each", { price: format.money(line.variant.price, line.variant.currency) })}
                aside={
                  <Box display="flex" alignItems="center" gap={1}>
                    <Button size="small" variant="secondary" onClick={() => change(index, line.quantity - 1)} aria-label={t("order.less", { name })} data-testid="cart-less">
                      −
                    </Button>
                    <Text size={4} fontWeight="bold" data-testid="cart-quantity" aria-label={t("order.quantity", { count: String(line.quantity) })}>
                      {line.quantity}
                    </Text>
                    <Button size="small" variant="secondary" onClick={() => change(index, line.quantity + 1)} aria-label={t("order.more", { name })} data-testid="cart-more">
                      +
                    </Button>
                  </Box>
                }
              />
            );
          })}
        </CardList>
      )}
      {error && (
        <Text size={2} color="critical1" role="alert" data-testid="cart-error">
          {error}
        </Text>
      )}
    </Card>
  );
}

/** The payment link for the customer: copy, QR code, the phone's share sheet. */
function CheckoutResult({ checkout, onNew }: { checkout: Checkout; onNew(): void }) {
  const { t, format } = useOffice();
  // The form is gone: the heading of what replaced it takes the focus (screen readers read on from there).
  useEffect(() => document.querySelector<HTMLElement>("[data-testid=order-result-title]")?.focus(), []);
  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="order-result">
      <Card>
        <Text as="h2" size={6} fontWeight="bold" tabIndex={-1} data-testid="order-result-title">
          {t("order.ready", { email: checkout.email })}
        </Text>
        <Text size={3} data-testid="order-total">
          {t("order.total", { total: format.money(checkout.totalGross, checkout.currency) })}
        </Text>
        <Text size={2} color="default2" data-testid="order-code">
          {checkout.voucherCode ? t("order.voucherApplied", { code: checkout.voucherCode }) : t("order.referralOnly", { code: checkout.referralCode })}
        </Text>
        <Copyable label={t("order.paymentLink")} value={checkout.paymentUrl} testId="payment-link" />
        <QrImage value={checkout.paymentUrl} />
        <Box display="flex" gap={2} flexWrap="wrap">
          <ShareButton title={t("order.shareTitle")} text={t("order.shareText")} url={checkout.paymentUrl} />
          <Button variant="primary" onClick={onNew} data-testid="order-new">
            {t("order.new")}
          </Button>
        </Box>
      </Card>
    </Box>
  );
}

/**
 * An order for a customer, on the road: products from the shop's catalogue, the customer's
 * e-mail and address, then a checkout of the shop with the partner's code and the link where
 * the customer pays it (the app makes the checkout, docs/office.md).
 */
export function CustomerOrderPage() {
  const { t, client } = useOffice();
  const countrySelect = useId();
  const countries = useQuery<{ officeCountries: Array<{ code: string; name: string }> }>(OFFICE_COUNTRIES);
  const [lines, setLines] = useState<Line[]>([]);
  const [customer, setCustomer] = useState<Customer>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Error | null>(null);
  const [checkout, setCheckout] = useState<Checkout | null>(null);
  const choices = countries.data?.officeCountries ?? [];
  const country = customer.country || (choices.find((choice) => choice.code === "DE") ?? choices[0])?.code || "";

  const add = (line: Line) =>
    setLines((current) =>
      current.some((existing) => existing.variant.id === line.variant.id)
        ? current.map((existing) => (existing.variant.id === line.variant.id ? { ...existing, quantity: Math.min(existing.quantity + 1, 999) } : existing))
        : [...current, line],
    );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const answer = await client.request<{ customerCheckoutCreate: { errors: Array<{ field: string | null; message: string }>; checkout: Checkout | null } }>(CUSTOMER_CHECKOUT_CREATE, {
        input: { ...customer, country, lines: lines.map((line) => ({ variantId: line.variant.id, quantity: line.quantity })) },
      });
      const result = answer.customerCheckoutCreate;
      setErrors(Object.fromEntries(result.errors.map((error) => [error.field ?? "form", error.message])));
      if (!result.errors.length && result.checkout) setCheckout(result.checkout);
    } catch (error) {
      setFailure(error as Error);
    } finally {
      setBusy(false);
    }
  };

  const startOver = () => {
    setCheckout(null);
    setLines([]);
    setCustomer(EMPTY);
    setErrors({});
  };

  return (
    <Box display="flex" flexDirection="column" gap={4} data-testid="customer-order">
      <Text as="h1" size={8} fontWeight="bold" data-testid="page-title">
        {t("order.title")}
      </Text>
      {checkout ? (
        <CheckoutResult checkout={checkout} onNew={startOver} />
      ) : (
        <>
          <Text size={3} color="default2">
            {t("order.intro")}
          </Text>
          <ProductPicker onAdd={add} />
          <Cart lines={lines} setLines={setLines} error={errors.lines} />
          <Card title={t("order.customer")} testId="order-customer">
            <Box as="form" onSubmit={submit} display="flex" flexDirection="column" gap={3} data-testid="order-form" noValidate>
              {FIELDS.map((field) => (
                <TextField
                  key={field.name}
                  name={field.name}
                  label={field.optional ? t("order.optional", { label: t(field.label) }) : t(field.label)}
                  value={customer[field.name]}
                  autoComplete={field.autoComplete}
                  error={errors[field.name]}
                  onChange={(value) => setCustomer({ ...customer, [field.name]: value })}
                  testId={`order-${field.name}`}
                />
              ))}
              <Box display="flex" flexDirection="column" gap={1}>
                <label htmlFor={countrySelect}>
                  <Text size={3}>{t("order.country")}</Text>
                </label>
                <select
                  id={countrySelect}
                  className="office-select"
                  value={country}
                  autoComplete="country"
                  aria-invalid={Boolean(errors.country)}
                  aria-describedby={errors.country ? "order-country-error" : undefined}
                  onChange={(event) => setCustomer({ ...customer, country: event.target.value })}
                  data-testid="order-country"
                >
                  {choices.map((choice) => (
                    <option key={choice.code} value={choice.code}>
                      {choice.name}
                    </option>
                  ))}
                </select>
                {errors.country && (
                  <Text size={2} color="critical1" id="order-country-error" data-testid="order-country-error">
                    {errors.country}
                  </Text>
                )}
              </Box>
              {countries.error && <ErrorMessage error={countries.error} onRetry={countries.reload} />}
              {errors.form && (
                <Text size={3} color="critical1" role="alert" data-testid="order-form-error">
                  {errors.form}
                </Text>
              )}
              {failure && <ErrorMessage error={failure} />}
              <Button type="submit" disabled={busy} data-testid="order-submit">
                {busy ? t("order.creating") : t("order.create")}
              </Button>
            </Box>
          </Card>
        </>
      )}
    </Box>
  );
}
