/**
 * The shop's side of payments: `fetch` (traced by the undici
 * instrumentation, so the charge is a CLIENT span with the server's span
 * below it) behind an opossum circuit breaker. While the breaker is open,
 * charges fail at once with {@link PaymentsUnavailableError} instead of
 * waiting on a dependency that is down. `instrumentBreaker` records its
 * state, transitions and calls.
 */
import CircuitBreaker from 'opossum';
import type { MetricsRegistry } from 'sightline';
import { instrumentBreaker } from 'sightline/resilience';

/** The payments service refused or failed the charge. */
export class PaymentFailedError extends Error {
  override readonly name = 'PaymentFailedError';
}

/** The breaker is open: payments are not even tried. */
export class PaymentsUnavailableError extends Error {
  override readonly name = 'PaymentsUnavailableError';
}

export interface Charge {
  readonly orderId: string;
  readonly amountCents: number;
}

export interface PaymentsClient extends AsyncDisposable {
  /** The breaker, for instrumentation and inspection. */
  readonly breaker: CircuitBreaker<[Charge], string>;
  /** Charges and resolves with the payment id. */
  charge(charge: Charge): Promise<string>;
  close(): Promise<void>;
}

export function createPaymentsClient(baseUrl: string, registry: MetricsRegistry): PaymentsClient {
  const call = async (charge: Charge): Promise<string> => {
    const response = await fetch(`${baseUrl}/charge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(charge),
      signal: AbortSignal.timeout(2000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new PaymentFailedError(`payments answered ${response.status} for order ${charge.orderId}`);
    }
    return ((await response.json()) as { paymentId: string }).paymentId;
  };
  const breaker = new CircuitBreaker(call, {
    name: 'payments',
    timeout: 1000,
    errorThresholdPercentage: 50,
    volumeThreshold: 5,
    rollingCountTimeout: 4000,
    resetTimeout: 1500,
  });
  const instrumentation = instrumentBreaker(breaker, { name: 'payments', registry });
  const close = (): Promise<void> => {
    instrumentation.dispose();
    breaker.shutdown();
    return Promise.resolve();
  };
  return {
    breaker,
    async charge(charge) {
      try {
        return await breaker.fire(charge);
      } catch (error) {
        if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
          throw new PaymentsUnavailableError('payments circuit breaker is open', { cause: error });
        }
        if (error instanceof PaymentFailedError) throw error;
        throw new PaymentFailedError(`payment for order ${charge.orderId} failed: ${(error as Error).message}`, { cause: error });
      }
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
