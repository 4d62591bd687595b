// Compiled with `tsc --noEmit` by the test: the package's .d.ts must type a real program, with
// amounts as strings and protocol objects as named types (no `any`).
import {
  Identity, HubClient, GeoError, parseAmount, signInvoice, readInvoice, verifyReceipt,
} from '@geo/client';
import { AdminClient, GeoError as AdminError } from '@geo/client/admin';
import type {
  Receipt, TrustLine, GeoEvent, Balance, PaymentPage, Invoice, InvoiceOrder, SignedInvoice, PaymentRecord, HubStats,
  Neighbourhood, Clearing, ClientOptions, PaymentOrder, TrustLineFilter, HistoryFilter, MessageDigests, ErrorCode,
  Problem, TrustLinePage, MessagePayload, TrustLineSet,
} from '@geo/client';
import { messageDigests, buildMessage, signMessage, signingBytes, Verifier } from '@geo/client/tools';
import type { PayloadOf } from '@geo/client/tools';

export async function demo(url: string, token: string): Promise<string> {
  const admin = new AdminClient(url, token);
  const oneErrorClass: typeof GeoError = AdminError;
  void oneErrorClass;
  const eq = await admin.setEquivalent('UAH', 2, 'hryvnia');
  const precision: number = eq.precision;
  const stats: HubStats = await admin.stats();
  const outstanding: string = stats.equivalents[0].debt_outstanding;
  const committed: number = stats.payments_committed + stats.participants.active;
  void outstanding, committed;
  const me = Identity.generate();
  const client: HubClient = await HubClient.connect(url, me, { request_timeout_ms: 5000 });
  await client.register('Alice', 'person', { city: 'Kyiv' });
  const line: TrustLine = await client.setTrustLine(me.pid, 'UAH', '10');
  const limit: string = line.limit;
  const net: Neighbourhood = await client.network('UAH', 2);
  const hops: number = net.members[0].hops;
  const own: string | undefined = net.lines[0].limit ?? undefined;
  const applied: Clearing[] = await admin.clearings('UAH');
  const everywhere: Clearing[] = await admin.clearings();
  void hops, own, applied, everywhere;
  try {
    const r: Receipt = await client.pay({ payee: me.pid, equivalent: 'UAH', amount: '1.50' });
    const amount: string = r.amount;
    void amount;
  } catch (e) {
    if (e instanceof GeoError) {
      const code: string = e.code;
      const again: boolean = e.retryable;
      const status: number | null = e.status;
      const problem: Problem | null = e.problem;
      void code, again, status, problem;
    }
  }
  const page: PaymentPage = await client.historyPage({ direction: 'sent' });
  const lines: TrustLinePage = await client.trustLinesPage({ direction: 'incoming', limit: 10 }, page.next_cursor ?? undefined);
  void lines;
  const balances: Balance[] = await client.balance();
  for await (const ev of client.events(0)) {
    const e: GeoEvent = ev;
    if (e.kind === 'payment_received') {
      const a: string = e.data.amount;
      void a;
    }
    break;
  }
  // @ts-expect-error amounts are strings, never numbers
  await client.pay({ payee: me.pid, equivalent: 'UAH', amount: 5 });
  // @ts-expect-error an order has no such member
  await client.pay({ payee: me.pid, equivalent: 'UAH', amount: '5', colour: 'red' });
  // @ts-expect-error options have no such member
  await HubClient.connect(url, me, { timeout: 5 });
  // @ts-expect-error a trust-line filter's direction is outgoing, incoming or all
  await client.trustLines({ direction: 'sent' });
  // @ts-expect-error a payment's status is prepared, committed or aborted
  await client.historyPage({ status: 'done' });
  const options: ClientOptions = { expected_hub: client.hubPid, attempts: 3 };
  const order: PaymentOrder = { payee: me.pid, equivalent: 'UAH', amount: '0.01', description: 'tea' };
  const trust: TrustLineFilter = { direction: 'outgoing' };
  const history: HistoryFilter = { direction: 'relayed', status: 'committed', limit: 5 };
  void options, order, trust, history;
  const record: PaymentRecord = await client.submitPayment(client.signPayment(order));
  const checked: Receipt = verifyReceipt(client.hubInfo, record.payment);
  const why: ErrorCode | null | undefined = checked.error_code;
  const message = buildMessage(me, 'trust_line_close', { debtor: me.pid, equivalent: 'UAH' }, client.hubPid);
  const digests: MessageDigests = messageDigests(message);
  const verdict: 'ok' | ErrorCode = new Verifier('2026-12-01T00:00:00Z', me.publicKey).verify('trust_line_close', message);
  // @ts-expect-error message types are the protocol's
  buildMessage(me, 'trust_line_delete', {}, client.hubPid);
  // Each payload is checked against its own message type's payload.
  const set: PayloadOf<'trust_line_set'> = { debtor: me.pid, equivalent: 'UAH', limit: '10.00' };
  const sameSet: TrustLineSet = set;
  buildMessage(me, 'trust_line_set', sameSet, client.hubPid, 60);
  // @ts-expect-error a trust_line_close payload has no limit
  buildMessage(me, 'trust_line_close', { debtor: me.pid, equivalent: 'UAH', limit: '10' }, client.hubPid);
  // @ts-expect-error a trust_line_set payload needs its limit
  buildMessage(me, 'trust_line_set', { debtor: me.pid, equivalent: 'UAH' }, client.hubPid);
  // @ts-expect-error a limit is a decimal string, never a number
  buildMessage(me, 'trust_line_set', { debtor: me.pid, equivalent: 'UAH', limit: 10 }, client.hubPid);
  // @ts-expect-error a payment request's payload is not a trust line's
  buildMessage(me, 'payment_request', set, client.hubPid);
  const anyPayload: MessagePayload = { type: 'trust_line_close', payload: { debtor: me.pid, equivalent: 'UAH' } };
  const bytes: Uint8Array = signingBytes(message);
  const resigned: string = signMessage(me, '{"type":"login"}');
  void bytes;
  void anyPayload, resigned;
  void why, digests.payload_digest, verdict;
  const terms: InvoiceOrder = { hub: client.hubPid, equivalent: 'UAH', amount: '12.50', expires_at: '2026-12-31T00:00:00Z' };
  const signed: SignedInvoice = signInvoice(me, { ...terms, description: 'honey' });
  const invoice: Invoice = readInvoice(signed.uri, client.hubPid);
  const viaObject: PaymentRecord = await client.payInvoice(invoice);
  const viaLink: PaymentRecord = await client.payInvoice(signed.uri);
  const id: string = invoice.invoice_id;
  void viaObject, viaLink, id, readInvoice(signed.uri);
  // @ts-expect-error an invoice's amount is a string, never a number
  signInvoice(me, { ...terms, amount: 12.5 });
  return `${precision} ${limit} ${page.items.length} ${balances.length} ${parseAmount('1', 2)}`;
}
