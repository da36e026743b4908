/** English strings of Classify's regression side (numeric targets). */
export const regressionEn = {
  'regress.title': 'Predict a number',
  'regress.hint':
    'Pick a table, the number to predict and the columns to learn from. ShopSight compares model families with cross-validation on the training part, always beside a baseline that predicts the training mean, then tests the chosen model once on rows it never saw. Everything trains in this browser.',
  'regress.task': 'Task',
  'regress.task.auto': 'Detect from the target',
  'regress.task.classification': 'Classification (yes/no)',
  'regress.task.regression': 'Regression (a number)',
  'regress.why.numeric_many_values':
    'Regression: “{target}” holds numbers with {distinct} different values, so the models predict the number itself.',
  'regress.why.two_values': 'Classification: “{target}” has two values, so the models predict which one.',
  'regress.why.text_values': 'Classification: “{target}” holds text labels.',
  'regress.why.chosenRegression': 'Regression, as you chose: the models predict the value of “{target}”.',
  'regress.why.chosenClassification': 'Classification, as you chose: “{target}” must have exactly two values.',
  'regress.why.checking': 'Checking “{target}”…',
  'regress.models': 'Regression models to compare',
  'regress.family.baseline': 'Baseline (training mean)',
  'regress.family.linear': 'Linear regression (least squares)',
  'regress.family.ridge': 'Ridge regression',
  'regress.family.lasso': 'Lasso regression',
  'regress.family.tree': 'Decision tree (depth 6)',
  'regress.family.forest': 'Random forest',
  'regress.family.boosting': 'Gradient boosting',
  'regress.family.mlp': 'Neural network (MLP)',
  'regress.comparing': 'Comparing regression models',
  'regress.evaluating': 'Testing the model on held-out rows',
  'regress.leaderboard': 'Leaderboard: {folds}-fold cross-validation on {rows} training rows',
  'regress.targetSummary':
    '“{target}” in the training rows: mean {mean}, standard deviation {std}, from {min} to {max}. {test} rows are held out for the final test.',
  'regress.mapeWarning':
    '{share} of the targets are close to zero, which makes MAPE (an error relative to the true value) very large: read MAE and R² instead.',
  'regress.col.mae': 'MAE',
  'regress.col.rmse': 'RMSE',
  'regress.col.r2': 'R²',
  'regress.col.mape': 'MAPE',
  'regress.beatsBaseline':
    'The best model, {model}, beats the baseline: R² {r2} against {base} for always predicting the mean.',
  'regress.notBeatsBaseline':
    'No model clearly beats predicting the training mean here: the features may not carry the signal, or there are too few rows.',
  'regress.evaluation': '{model}: held-out test on {rows} rows',
  'regress.metric.mae': 'Mean absolute error',
  'regress.metric.rmse': 'Root mean squared error',
  'regress.metric.r2': 'R² (variance explained)',
  'regress.metric.mape': 'Mean absolute % error',
  'regress.maeSentence':
    'On rows it never saw, the prediction is off by {mae} on average ({base} when always predicting the mean).',
  'regress.predictedActual': 'Predicted against actual',
  'regress.residuals': 'Residuals against predicted',
  'regress.importance': 'What matters: R² lost when a column is shuffled',
  'regress.coefficients': 'Coefficients (change in “{target}” per standard deviation, or vs. “other”)',
  'regress.intercept': 'Intercept: {value}',
  'regress.axis.actual': 'Actual {target}',
  'regress.axis.predicted': 'Predicted {target}',
  'regress.axis.residual': 'Residual (actual − predicted)',
  'regress.axis.importance': 'R² lost',
  'regress.series.perfect': 'Perfect prediction',
  'regress.series.zero': 'No error',
  'regress.scoreHint':
    'Adds the predicted “{target}” (a prediction column) to every row of a table with the same columns.',
  'regress.scored': 'Created {table}: {rows} rows, predictions from {min} to {max} (mean {mean}).',
} as const;

export type RegressionMessageKey = keyof typeof regressionEn;
