/** Review text analytics: tokenisers, TF-IDF, sparse logistic regression and complaint keywords. */
export * from './stop-words';
export * from './tokenize';
export * from './tfidf';
export * from './logistic';
export * from './keywords';
export * from './evaluate';
