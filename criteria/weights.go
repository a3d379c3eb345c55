package criteria

// Weights is where a list of criteria's weights become shares: the total Σw and each
// criterion's share wᵢ/Σw. When Σw is 0 (no criterion, or every weight 0) every share is
// 0: no criterion has a part of a total that does not exist. Pages show the share in
// percent and the sensitivity and acceptability use it as a fraction; the engine takes
// the total from here and divides wᵢ·nᵢ by it (the share times the normalised value, in
// the order that keeps its figures as they were).
type Weights struct {
	criteria []Criterion
	total    float64
}

// WeightsOf returns the weights of cs, in their order (callers pass Active(cs) when only
// the criteria taking part in the ranking count).
func WeightsOf(cs []Criterion) Weights {
	w := Weights{criteria: cs}
	for _, c := range cs {
		w.total += c.Weight
	}
	return w
}

// Total returns Σw.
func (w Weights) Total() float64 { return w.total }

// Share returns criterion i's share wᵢ/Σw in [0, 1]; 0 when Σw is 0.
func (w Weights) Share(i int) float64 {
	if w.total <= 0 {
		return 0
	}
	return w.criteria[i].Weight / w.total
}

// Percent returns criterion i's share in percent, 100·wᵢ/Σw, unrounded; 0 when Σw is 0.
func (w Weights) Percent(i int) float64 {
	if w.total <= 0 {
		return 0
	}
	return 100 * w.criteria[i].Weight / w.total
}
