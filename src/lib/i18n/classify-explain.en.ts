/** English strings of Classify's explanations (partial dependence, per-row reasons), search and backend reasons. */
export const classifyExplainEn = {
  'classify.pd.title': 'How the score moves with each top feature (partial dependence)',
  'classify.pd.hint':
    'Mean predicted probability of “{positive}” over the held-out rows when one feature is set to each value and everything else stays as it was. The features are the most important ones by permutation importance.',
  'classify.pd.axis': 'Mean P({positive})',
  'classify.pd.chart': 'Partial dependence of {feature}',
  'classify.explain.title': 'Why a customer scored what they did',
  'classify.explain.hint':
    'Pick a held-out row (0 to {max}) or the top-scored one. Each bar is one feature pushing the score up or down from the starting value; the starting value plus every bar is exactly this row’s score ({units}).',
  'classify.explain.row': 'Held-out row',
  'classify.explain.top': 'Top-scored row',
  'classify.explain.run': 'Explain row',
  'classify.explain.why': 'Why row {row} scored {score}',
  'classify.explain.summary':
    'Starting value {bias} + contributions {sum} = {raw} ({units}), a probability of {probability}. Actual class: “{actual}”.',
  'classify.explain.units.log-odds': 'log-odds',
  'classify.explain.units.probability': 'probability',
  'classify.explain.axis': 'Contribution ({units})',
  'classify.explain.unsupported':
    'Per-row explanations exist for logistic regression, the decision tree, the random forest and gradient boosting. Test one of those to see them.',
  'classify.explain.failed': 'Could not explain the row',
  'classify.explain.col.value': 'Value',
  'classify.explain.col.contribution': 'Contribution',
  'classify.explain.other': 'Other features',
  'classify.explain.missing': 'missing',
  'classify.explain.scoreReasons': 'Also write the top 3 reasons per row (reason_1 … reason_3)',
  'classify.search.title': 'Tune hyperparameters',
  'classify.search.hint':
    'Scores each setting with the same {folds}-fold cross-validation on the training part (ROC-AUC), then tests the best one once on the held-out rows if you ask.',
  'classify.search.family': 'Model',
  'classify.search.mode': 'Search',
  'classify.search.grid': 'Grid (every combination)',
  'classify.search.random': 'Random draws',
  'classify.search.nIter': 'Draws',
  'classify.search.run': 'Search',
  'classify.search.running': 'Searching hyperparameters',
  'classify.search.failed': 'Could not run the search',
  'classify.search.cancelled': 'Search cancelled.',
  'classify.search.results': '{count} settings, {folds}-fold cross-validated ROC-AUC on the training part',
  'classify.search.reference':
    'Same folds: the baseline (majority class) scored {baseline}; {model} with its defaults {default}.',
  'classify.search.referenceBaseline': 'Same folds: the baseline (majority class) scored {baseline}.',
  'classify.search.col.params': 'Parameters',
  'classify.search.col.auc': 'ROC-AUC (mean ± std)',
  'classify.search.col.time': 'Fit time per fold',
  'classify.search.best': 'best',
  'classify.search.useBest': 'Test the best on the held-out rows',
  'classify.search.evaluatedWith': 'Fitted with {params}.',
  'classify.param.nEstimators': 'trees',
  'classify.param.maxDepth': 'depth',
  'classify.param.minSamplesLeaf': 'min rows per leaf',
  'classify.param.learningRate': 'learning rate',
  'classify.param.maxLeafNodes': 'leaves per tree',
  'classify.param.maxIter': 'iterations',
  'classify.param.C': 'C',
  'classify.param.k': 'k',
  'backend.reason.override': 'your choice ({backend})',
  'backend.reason.fastest': 'fastest measured ({ms} ms per test operation)',
  'backend.reason.fallback': 'nothing could be timed; {backend} as the fallback',
  'backend.reason.nothing': 'nothing else is available; cpu',
  'backend.reason.overrideUnavailableFastest':
    '{override} is unavailable; fastest measured ({ms} ms per test operation)',
  'backend.reason.overrideUnavailableFallback':
    '{override} is unavailable and nothing could be timed; {backend} as the fallback',
  'backend.reason.overrideUnavailableNothing': '{override} is unavailable and nothing else is; cpu',
} as const;

export type ClassifyExplainMessageKey = keyof typeof classifyExplainEn;
