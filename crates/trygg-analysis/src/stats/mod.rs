//! Survey statistics for the lägesbild: proportions, intervals, weighting, suppression and trends.
