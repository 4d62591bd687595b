// SDK-side types of the GEO package: the shapes geo-client gives that are not hub API schemas
// (verified receipts, event stream, options, filters). Mirrors geo-client's Rust types.

/** A verified hub-signed payment receipt. */
export interface Receipt {
  tx_id: string;
  payer: Pid;
  payee: Pid;
  equivalent: EquivalentCode;
  /** Canonical decimal amount. */
  amount: string;
  status: PaymentState;
  error_code: ErrorCode | null;
  routes: Array<{ path: Pid[]; amount: string }>;
  /** Digest of the payer's signed request (hex). */
  request_digest: string;
  decided_at: string;
  journal_seq: number | null;
  /** The signed receipt as received: keep it, it proves the outcome. */
  json: string;
}

/** The digests of a signed message (hex). */
export interface MessageDigests {
  /** Of the signed bytes: what receipts name. */
  digest: string;
  payload_digest: string;
}

/** A payment as the hub shows it, with its verified receipt once it ended. */
export interface PaymentRecord {
  payment: Payment;
  receipt: Receipt | null;
}

/** One page of a listing and the cursor of the next (absent on the last page). */
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

/** What to pay. */
export interface PaymentOrder {
  payee: Pid;
  equivalent: EquivalentCode;
  /** Decimal string, at most the equivalent's precision of decimals. */
  amount: string;
  description?: string;
  constraints?: PaymentConstraints;
}

/** What a payee asks to be paid (protocol §6.4); the signer is the payee. */
export interface InvoiceOrder {
  /** The hub where it is payable (the payer's wallet refuses it at any other). */
  hub: Pid;
  equivalent: EquivalentCode;
  /** Decimal string, > 0. */
  amount: string;
  /** What it is for (becomes the payment's description), ≤ 500 characters. */
  description?: string;
  /** When it stops being payable (RFC 3339 UTC, like `2026-12-01T10:00:00Z`): within 30 days from now. */
  expires_at: string;
}

/** A checked invoice (signature, hub, validity) as a wallet shows it. */
export interface Invoice {
  /** Its id: the payment that pays it names it. */
  invoice_id: string;
  /** Who is to be paid (the signer). */
  payee: Pid;
  /** The hub where it is payable. */
  hub: Pid;
  equivalent: EquivalentCode;
  /** Decimal string as the payee wrote it. */
  amount: string;
  description?: string;
  created_at: string;
  expires_at: string;
  /** The `geo:invoice?m=…` link: what was checked, what is shown as a QR code, what is paid. */
  uri: string;
}

/** A newly signed invoice: its link (for a QR code) and the invoice it carries. */
export interface SignedInvoice {
  uri: string;
  invoice: Invoice;
}

/** Which trust lines to list. */
export interface TrustLineFilter {
  direction?: 'outgoing' | 'incoming';
  equivalent?: EquivalentCode;
  limit?: number;
}

/** Which payments to list. */
export interface HistoryFilter {
  direction?: 'sent' | 'received';
  equivalent?: EquivalentCode;
  status?: PaymentState;
  from?: string;
  to?: string;
  limit?: number;
}

/** Client settings (all optional). */
export interface ClientOptions {
  /** Refuse a hub whose PID is not this one. */
  expected_hub?: Pid;
  request_timeout_ms?: number;
  /** Attempts in all for retryable failures (default 5). */
  attempts?: number;
  base_delay_ms?: number;
  max_delay_ms?: number;
  /** Validity of signed messages, seconds (default 300, at most the hub's limit). */
  validity_seconds?: number;
}

interface EventBase {
  /** Position in the participant's stream (resume after it). */
  id: number;
  journal_seq: number;
}

/** One event of the live stream: `kind` and its `data`, as geo-api defines them (the frame's shape). */
export type GeoEvent = EventBase & Event;

/** Every failure of the package: `code` is the stable `E_…` code. */
export declare class GeoError extends Error {
  readonly name: 'GeoError';
  /** The hub's code for refusals (e.g. `E_INSUFFICIENT_CAPACITY`), an SDK code otherwise. */
  readonly code: string;
  /** Whether the same request may succeed later. */
  readonly retryable: boolean;
  /** HTTP status of a hub refusal, else null. */
  readonly status: number | null;
  /** The hub's whole problem document, else null. */
  readonly problem: Problem | null;
}
