/**
 * The ML worker's whole API: the training core (`TrainApi`: backends, TF.js models, cancel)
 * plus the link to the data worker and each chapter's analyses. Each chapter declares its own
 * interface in its own contract file; this one only composes them, so `workers/train.worker.ts`
 * and `TrainClient` stay typed end to end.
 */
import type { ForecastApi } from './forecast-api';
import type { RecommendApi } from './recommend-api';
import type { TrainApi } from './train-api';
import type { SegmentsApi } from './segments-api';
import type { ClassifyApi } from './classify-api';
import type { RegressionApi } from './regression-api';

/** How the ML worker reaches the data worker (see `contracts/frame.ts`). */
export interface FrameLinkApi {
  /** Wraps `port` (the data worker exposes a `FrameSource` on the other end); replaces an older link. */
  attachFrameSource(port: MessagePort): Promise<void>;
  /** Reads `table` through the link and reports its shape: proves both workers are connected. */
  checkLink(table: string): Promise<{ rows: number; columns: number; numericColumns: number }>;
}

export interface MlApi
  extends TrainApi, FrameLinkApi, ClassifyApi, ForecastApi, SegmentsApi, RecommendApi, RegressionApi {}
