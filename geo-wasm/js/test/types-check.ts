// Compiled with `tsc --noEmit` by the test: the package's .d.ts must type a real program, with
// amounts as strings and protocol objects as named types (no `any`).
import { Identity, HubClient, AdminClient, GeoError, parseAmount, signInvoice, readInvoice } from '@geo/client';
import type {
  Receipt, Payment, TrustLine, GeoEvent, Balance, Page, Invoice, InvoiceOrder, SignedInvoice, PaymentRecord, HubStats,
  Neighbourhood, Clearing,
} from '@geo/client';

export async function demo(url: string, token: string): Promise<string> {
  const admin = new AdminClient(url, token);
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
      void code, again;
    }
  }
  const page: Page<Payment> = await client.historyPage({ direction: 'sent' });
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
  const order: InvoiceOrder = { hub: client.hubPid, equivalent: 'UAH', amount: '12.50', expires_at: '2026-12-31T00:00:00Z' };
  const signed: SignedInvoice = signInvoice(me, { ...order, description: 'honey' });
  const invoice: Invoice = readInvoice(signed.uri, client.hubPid);
  const viaObject: PaymentRecord = await client.payInvoice(invoice);
  const viaLink: PaymentRecord = await client.payInvoice(signed.uri);
  const id: string = invoice.invoice_id;
  void viaObject, viaLink, id, readInvoice(signed.uri);
  // @ts-expect-error an invoice's amount is a string, never a number
  signInvoice(me, { ...order, amount: 12.5 });
  return `${precision} ${limit} ${page.items.length} ${balances.length} ${parseAmount('1', 2)}`;
}
