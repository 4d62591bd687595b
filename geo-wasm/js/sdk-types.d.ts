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
  status: PaymentStatusText;
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
  payment: PaymentView;
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
  status?: PaymentStatusText;
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

/** The answer to closing a trust line. */
export interface ClosedLine {
  creditor: Pid;
  debtor: Pid;
  equivalent: EquivalentCode;
  status: string;
}

/** One set-off of a clearing. */
export interface SetOff {
  debtor: Pid;
  creditor: Pid;
  amount: string;
}

/** The answer to a consent. */
export interface ConsentOutcome {
  clearing_id: string;
  status: string;
}

/** An applied clearing that touched the caller, its receipt verified. */
export interface Clearing {
  clearing_id: string;
  equivalent: EquivalentCode;
  edges: SetOff[];
  at: string;
  journal_seq: number;
  receipt?: Record<string, unknown>;
}

/** What an operator-run clearing did. */
export interface ClearingRun {
  cleared: boolean;
  clearing_id?: string | null;
  total?: string | null;
  proposal?: string | null;
}

/** A payment event's body. */
export interface PaymentEventBody {
  tx_id: string;
  payer: Pid;
  payee: Pid;
  equivalent: EquivalentCode;
  amount: string;
  at: string;
}

interface EventBase {
  /** Position in the participant's stream (resume after it). */
  id: number;
  journal_seq: number;
}

/** One event of the live stream, tagged by `kind`. */
export type GeoEvent = EventBase & (
  | { kind: 'trust_line_changed'; line_id: string; creditor: Pid; debtor: Pid; equivalent: EquivalentCode; limit: string | null; status: string }
  | { kind: 'payment_prepared'; payment: PaymentEventBody; expires_at: string }
  | ({ kind: 'payment_sent' | 'payment_received' | 'payment_relayed' } & PaymentEventBody)
  | { kind: 'payment_aborted'; payment: PaymentEventBody; error_code: ErrorCode | null }
  | { kind: 'clearing_proposed'; clearing_id: string; equivalent: EquivalentCode; edges: SetOff[]; consent_required_from: Pid[] }
  | { kind: 'clearing_committed'; clearing_id: string; equivalent: EquivalentCode; edges: SetOff[]; receipt: string | null }
  | { kind: 'participant_status_changed'; status: string }
  | { kind: 'other'; name: string; data: string }
);

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
