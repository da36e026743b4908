/**
 * Reorder point and safety stock from a forecast over the replenishment lead time.
 *
 * Lead-time demand D = Σ_{i<L} demand_i. Each step's forecast is treated as normal with mean
 * `mean[i]` and standard deviation recovered from its central interval, sd_i = (upper − lower) /
 * (2·z_level). Steps are summed either as independent (Var D = Σ sd_i², the textbook formula) or
 * as perfectly correlated (SD D = Σ sd_i, an upper bound for models whose errors accumulate, such
 * as random walks). Safety stock = z_service · SD D; reorder point = E[D] + safety stock.
 * A fractional lead time counts the last step pro rata.
 */
import { normalQuantile, zForLevel } from './math';
import type { ForecastResult } from './types';

/** Inputs for {@link reorderPoint}. */
export interface InventoryOptions {
  /** Replenishment lead time in forecast periods (may be fractional). */
  leadTime: number;
  /** Cycle service level: probability of no stock-out during a lead time (e.g. 0.95). */
  serviceLevel: number;
  /** How step errors combine over the lead time (default 'independent'). */
  errorCorrelation?: 'independent' | 'perfect';
  /** Current stock on hand plus on order, to report the quantity to order now. */
  inventoryPosition?: number;
}

/** Lead-time demand distribution and the resulting stock levels. */
export interface InventoryAdvice {
  leadTimeDemand: number;
  leadTimeSd: number;
  safetyStock: number;
  reorderPoint: number;
  /** max(0, reorderPoint − inventoryPosition) when a position was given. */
  orderNow?: number;
}

/** Safety stock and reorder point at a service level from a forecast's mean and interval. */
export function reorderPoint(forecast: ForecastResult, options: InventoryOptions): InventoryAdvice {
  const L = options.leadTime;
  if (!(L > 0)) throw new RangeError('lead time must be positive');
  if (Math.ceil(L) > forecast.mean.length)
    throw new RangeError(`forecast covers ${forecast.mean.length} periods, lead time needs ${Math.ceil(L)}`);
  if (!(options.serviceLevel > 0 && options.serviceLevel < 1)) throw new RangeError('service level must be in (0, 1)');
  const zInterval = zForLevel(forecast.level);
  let mu = 0;
  let varSum = 0;
  let sdSum = 0;
  for (let i = 0; i < Math.ceil(L); i++) {
    const w = Math.min(1, L - i);
    const sd = Math.max(0, forecast.upper[i]! - forecast.lower[i]!) / (2 * zInterval);
    // Negative demand forecasts mean "none", not returns.
    mu += w * Math.max(0, forecast.mean[i]!);
    varSum += w * sd * sd;
    sdSum += w * sd;
  }
  const leadTimeSd = options.errorCorrelation === 'perfect' ? sdSum : Math.sqrt(varSum);
  const safetyStock = Math.max(0, normalQuantile(options.serviceLevel) * leadTimeSd);
  const rop = mu + safetyStock;
  const advice: InventoryAdvice = { leadTimeDemand: mu, leadTimeSd, safetyStock, reorderPoint: rop };
  if (options.inventoryPosition !== undefined) advice.orderNow = Math.max(0, rop - options.inventoryPosition);
  return advice;
}
