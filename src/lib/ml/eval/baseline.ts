/** Baselines every real model must beat: the class prior and the mean target. */
import {
  checkXy,
  countClasses,
  type Classifier,
  type FitOptions,
  type Regressor,
  type SerialisedModel,
} from '../model';
import type { Matrix, Vector } from '../matrix';

/** Predicts the (weighted) training class frequencies for every row, like `DummyClassifier(strategy='prior')`. */
export class DummyClassifier implements Classifier {
  nClasses = 2;
  prior: Float64Array = new Float64Array(0);

  /** Learns the class frequencies. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    checkXy(X, y);
    this.nClasses = countClasses(y);
    const prior = new Float64Array(this.nClasses);
    let tot = 0;
    for (let i = 0; i < y.length; i++) {
      const w = opts.sampleWeight ? opts.sampleWeight[i]! : 1;
      prior[y[i]!]! += w;
      tot += w;
    }
    for (let c = 0; c < prior.length; c++) prior[c]! /= tot;
    this.prior = prior;
    return this;
  }

  /** The prior P(y=1) for every row (binary) or the prior row repeated (n × k). */
  predictProba(X: Matrix): Float64Array {
    const k = this.nClasses;
    if (k === 2) return new Float64Array(X.nRows).fill(this.prior[1]!);
    const out = new Float64Array(X.nRows * k);
    for (let i = 0; i < X.nRows; i++) out.set(this.prior, i * k);
    return out;
  }

  /** JSON form. */
  toJSON(): SerialisedModel {
    return { kind: 'DummyClassifier', version: 1, prior: Array.from(this.prior) };
  }

  /** Restores a model serialised by `toJSON`. */
  static load(json: SerialisedModel): DummyClassifier {
    const m = new DummyClassifier();
    m.prior = Float64Array.from(json.prior as number[]);
    m.nClasses = m.prior.length;
    return m;
  }
}

/** Predicts the (weighted) training mean for every row, like `DummyRegressor(strategy='mean')`. */
export class DummyRegressor implements Regressor {
  mean = 0;

  /** Learns the mean target. */
  fit(X: Matrix, y: Vector, opts: FitOptions = {}): this {
    checkXy(X, y);
    let s = 0;
    let t = 0;
    for (let i = 0; i < y.length; i++) {
      const w = opts.sampleWeight ? opts.sampleWeight[i]! : 1;
      s += w * y[i]!;
      t += w;
    }
    this.mean = s / t;
    return this;
  }

  /** The training mean for every row. */
  predict(X: Matrix): Float64Array {
    return new Float64Array(X.nRows).fill(this.mean);
  }

  /** JSON form. */
  toJSON(): SerialisedModel {
    return { kind: 'DummyRegressor', version: 1, mean: this.mean };
  }

  /** Restores a model serialised by `toJSON`. */
  static load(json: SerialisedModel): DummyRegressor {
    const m = new DummyRegressor();
    m.mean = json.mean as number;
    return m;
  }
}
