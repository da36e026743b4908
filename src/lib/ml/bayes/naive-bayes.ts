/** Naive Bayes classifiers: Gaussian (continuous features) and categorical (integer-coded features). */
import { checkXy, countClasses, type Classifier, type FitOptions, type SerialisedModel } from '../model';
import type { Matrix, Vector } from '../matrix';

/** Softmax of per-class joint log-likelihoods (n × k) into probabilities; P(y=1) only when binary. */
function toProba(jll: Float64Array, n: number, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, jll[i * k + c]!);
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(jll[i * k + c]! - max);
    const lse = max + Math.log(s);
    for (let c = 0; c < k; c++) out[i * k + c] = Math.exp(jll[i * k + c]! - lse);
  }
  if (k > 2) return out;
  const pos = new Float64Array(n);
  for (let i = 0; i < n; i++) pos[i] = out[i * 2 + 1]!;
  return pos;
}

/** Gaussian naive Bayes like `sklearn.naive_bayes.GaussianNB` (variances floored by varSmoothing × the largest feature variance). */
export class GaussianNB implements Classifier {
  readonly varSmoothing: number;
  nClasses = 2;
  nFeatures = 0;
  classPrior: Float64Array = new Float64Array(0);
  theta: Float64Array = new Float64Array(0);
  variance: Float64Array = new Float64Array(0);

  /** Creates an unfitted model. */
  constructor(params: { varSmoothing?: number } = {}) {
    this.varSmoothing = params.varSmoothing ?? 1e-9;
  }

  /** Per-class (weighted) means and variances. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    checkXy(X, y);
    const { nRows: n, nCols: p, data } = X;
    const k = (this.nClasses = countClasses(y));
    this.nFeatures = p;
    const w = opts.sampleWeight;
    const cw = new Float64Array(k);
    const mean = new Float64Array(k * p);
    const sq = new Float64Array(k * p);
    // Overall per-feature variance (unweighted, as sklearn) sets the smoothing epsilon.
    const gMean = new Float64Array(p);
    const gSq = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      const wi = w ? w[i]! : 1;
      cw[c]! += wi;
      for (let j = 0; j < p; j++) {
        const v = data[i * p + j]!;
        mean[c * p + j]! += wi * v;
        gMean[j]! += v;
      }
    }
    for (let c = 0; c < k; c++) for (let j = 0; j < p; j++) mean[c * p + j]! /= cw[c]!;
    for (let j = 0; j < p; j++) gMean[j]! /= n;
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      const wi = w ? w[i]! : 1;
      for (let j = 0; j < p; j++) {
        const v = data[i * p + j]!;
        sq[c * p + j]! += wi * (v - mean[c * p + j]!) ** 2;
        gSq[j]! += (v - gMean[j]!) ** 2;
      }
    }
    let maxVar = 0;
    for (let j = 0; j < p; j++) maxVar = Math.max(maxVar, gSq[j]! / n);
    const eps = this.varSmoothing * maxVar;
    for (let c = 0; c < k; c++) for (let j = 0; j < p; j++) sq[c * p + j] = sq[c * p + j]! / cw[c]! + eps;
    let tot = 0;
    for (let c = 0; c < k; c++) tot += cw[c]!;
    this.classPrior = cw.map((v) => v / tot);
    this.theta = mean;
    this.variance = sq;
    return this;
  }

  /** Joint log-likelihood log P(c) + Σ_j log N(x_j | θ_cj, σ²_cj), n × k. */
  jointLogLikelihood(X: Matrix): Float64Array {
    const { nRows: n, nCols: p, data } = X;
    const k = this.nClasses;
    const out = new Float64Array(n * k);
    for (let c = 0; c < k; c++) {
      let norm = Math.log(this.classPrior[c]!);
      for (let j = 0; j < p; j++) norm -= 0.5 * Math.log(2 * Math.PI * this.variance[c * p + j]!);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += (data[i * p + j]! - this.theta[c * p + j]!) ** 2 / this.variance[c * p + j]!;
        out[i * k + c] = norm - 0.5 * s;
      }
    }
    return out;
  }

  /** P(y=1) per row when binary, else n × k. */
  predictProba(X: Matrix): Float64Array {
    return toProba(this.jointLogLikelihood(X), X.nRows, this.nClasses);
  }

  /** JSON form. */
  toJSON(): SerialisedModel {
    return {
      kind: 'GaussianNB',
      version: 1,
      varSmoothing: this.varSmoothing,
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      classPrior: Array.from(this.classPrior),
      theta: Array.from(this.theta),
      variance: Array.from(this.variance),
    };
  }

  /** Restores a model serialised by `toJSON`. */
  static load(json: SerialisedModel): GaussianNB {
    const m = new GaussianNB({ varSmoothing: json.varSmoothing as number });
    m.nClasses = json.nClasses as number;
    m.nFeatures = json.nFeatures as number;
    m.classPrior = Float64Array.from(json.classPrior as number[]);
    m.theta = Float64Array.from(json.theta as number[]);
    m.variance = Float64Array.from(json.variance as number[]);
    return m;
  }
}

/**
 * Categorical naive Bayes like `sklearn.naive_bayes.CategoricalNB`: features are category codes
 * 0..m−1 and P(x_j = v | c) = (N_cjv + α) / (N_c + α·m_j). Codes unseen in training get count 0;
 * NaN features are skipped.
 */
export class CategoricalNB implements Classifier {
  readonly alpha: number;
  nClasses = 2;
  nFeatures = 0;
  classPrior: Float64Array = new Float64Array(0);
  /** Per feature: nClasses × nCategories log-probabilities, row-major. */
  logProb: Float64Array[] = [];
  nCategories: Int32Array = new Int32Array(0);
  private classCount: Float64Array = new Float64Array(0);

  /** Creates an unfitted model (Laplace smoothing α = 1 by default). */
  constructor(params: { alpha?: number } = {}) {
    this.alpha = params.alpha ?? 1;
  }

  /** Counts categories per class. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    checkXy(X, y);
    const { nRows: n, nCols: p, data } = X;
    const k = (this.nClasses = countClasses(y));
    this.nFeatures = p;
    const w = opts.sampleWeight;
    const nCat = new Int32Array(p);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        const v = data[i * p + j]!;
        if (Number.isNaN(v)) continue;
        if (!Number.isInteger(v) || v < 0) throw new Error(`CategoricalNB: feature ${j} has non-category value ${v}`);
        nCat[j] = Math.max(nCat[j]!, v + 1);
      }
    }
    const cw = new Float64Array(k);
    const counts = Array.from(nCat, (m) => new Float64Array(k * m));
    for (let i = 0; i < n; i++) {
      const c = y[i]!;
      const wi = w ? w[i]! : 1;
      cw[c]! += wi;
      for (let j = 0; j < p; j++) {
        const v = data[i * p + j]!;
        if (!Number.isNaN(v)) counts[j]![c * nCat[j]! + v]! += wi;
      }
    }
    const a = this.alpha;
    this.logProb = counts.map((cnt, j) => {
      const m = nCat[j]!;
      const lp = new Float64Array(k * m);
      for (let c = 0; c < k; c++) {
        let rowSum = 0;
        for (let v = 0; v < m; v++) rowSum += cnt[c * m + v]!;
        for (let v = 0; v < m; v++) lp[c * m + v] = Math.log(cnt[c * m + v]! + a) - Math.log(rowSum + a * m);
      }
      return lp;
    });
    let tot = 0;
    for (let c = 0; c < k; c++) tot += cw[c]!;
    this.classPrior = cw.map((v) => v / tot);
    this.nCategories = nCat;
    this.classCount = cw;
    return this;
  }

  /** Joint log-likelihood per class, n × k. */
  jointLogLikelihood(X: Matrix): Float64Array {
    const { nRows: n, nCols: p, data } = X;
    const k = this.nClasses;
    const out = new Float64Array(n * k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        let s = Math.log(this.classPrior[c]!);
        for (let j = 0; j < p; j++) {
          const v = data[i * p + j]!;
          if (Number.isNaN(v)) continue;
          const m = this.nCategories[j]!;
          s +=
            v < m
              ? this.logProb[j]![c * m + v]!
              : Math.log(this.alpha) - Math.log(this.classCount[c]! + this.alpha * m);
        }
        out[i * k + c] = s;
      }
    }
    return out;
  }

  /** P(y=1) per row when binary, else n × k. */
  predictProba(X: Matrix): Float64Array {
    return toProba(this.jointLogLikelihood(X), X.nRows, this.nClasses);
  }

  /** JSON form. */
  toJSON(): SerialisedModel {
    return {
      kind: 'CategoricalNB',
      version: 1,
      alpha: this.alpha,
      nClasses: this.nClasses,
      nFeatures: this.nFeatures,
      classPrior: Array.from(this.classPrior),
      classCount: Array.from(this.classCount),
      nCategories: Array.from(this.nCategories),
      logProb: this.logProb.map((a) => Array.from(a)),
    };
  }

  /** Restores a model serialised by `toJSON`. */
  static load(json: SerialisedModel): CategoricalNB {
    const m = new CategoricalNB({ alpha: json.alpha as number });
    m.nClasses = json.nClasses as number;
    m.nFeatures = json.nFeatures as number;
    m.classPrior = Float64Array.from(json.classPrior as number[]);
    m.classCount = Float64Array.from(json.classCount as number[]);
    m.nCategories = Int32Array.from(json.nCategories as number[]);
    m.logProb = (json.logProb as number[][]).map((a) => Float64Array.from(a));
    return m;
  }
}
