// Package criteria compares a relocation's candidate sites: its criteria grid (weights,
// directions, units), the scores of each site, the weighted-sum ranking with its missing
// values and ties, the pairwise (AHP) weights, the sensitivity of the ranking to each
// weight, and rank acceptability (how often each site takes each rank under sampled
// weight vectors, over all weights or in a band around the current ones). The engine is
// pure; the store reads the grid, and its writes are relocation actions (relocation.Act).
package criteria
