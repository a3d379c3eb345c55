package criteria

import (
	"fmt"
	"math"
)

// MaxConsistencyRatio is the largest consistency ratio for which AHP weights are applied.
const MaxConsistencyRatio = 0.10

// Bounds of the Saaty scale for a comparison's value.
const (
	// MinComparison is the smallest accepted comparison value, 1/9.
	MinComparison = 1.0 / 9
	// MaxComparison is the largest accepted comparison value, 9.
	MaxComparison = 9.0
	// MaxAHPCriteria is the largest number of criteria AHP accepts (RI is tabled up to 10).
	MaxAHPCriteria = 10
)

// comparisonSlack lets a value computed as 1/9 (or 9) by a client pass despite rounding.
const comparisonSlack = 1e-9

// worstTieTolerance is the difference under which two deviations |ln(a_ij·w_j/w_i)| count
// as equal for Worst, so rounding noise does not pick among tied comparisons (in any
// 3×3 matrix the three deviations are mathematically equal).
const worstTieTolerance = 1e-9

// Power iteration limits.
const (
	ahpTolerance     = 1e-12
	ahpMaxIterations = 1000
)

// randomIndex holds Saaty's random consistency index RI(n) for n = 3…10.
var randomIndex = map[int]float64{3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49}

// Comparison says how much more criterion A matters than criterion B, on the Saaty scale
// [1/9, 9] (1 = as much, 9 = extremely more, 1/3 = moderately less).
type Comparison struct {
	A, B  int64
	Value float64
}

// AHPResult is the outcome of AHP. Weights maps each criterion id to its share of the
// principal eigenvector (the shares sum to 1). ConsistencyRatio and LambdaMax are unrounded.
// Worst is the comparison, as given (A, B), that departs most from the weights: the largest
// |ln(a_ij · w_j / w_i)|, the first given winning ties (within 1e-9). It is always set; callers show it
// when ConsistencyRatio > MaxConsistencyRatio.
type AHPResult struct {
	Weights          map[int64]float64
	ConsistencyRatio float64
	LambdaMax        float64
	Worst            *[2]int64
}

// InputError is a refused AHP input; Message is French and safe to show to the user.
type InputError struct {
	Message string
}

// Error returns the French message.
func (e *InputError) Error() string { return e.Message }

func inputErrorf(format string, args ...any) *InputError {
	return &InputError{Message: fmt.Sprintf(format, args...)}
}

// AHP derives weights for the criteria ids from pairwise comparisons. Every pair of distinct
// ids must be compared exactly once, in either order; the reciprocal matrix is a_ii = 1,
// a_ij = value, a_ji = 1/value. Weights are the principal eigenvector found by power
// iteration (tolerance 1e-12, at most 1000 iterations, the last iterate kept), λmax is the
// mean of (A·w)_i / w_i, CR = ((λmax − n)/(n − 1)) / RI(n), 0 for n = 2 (never negative).
//
// It returns an *InputError when there are fewer than 2 or more than 10 ids, an id is
// repeated, a comparison names an unknown id or compares a criterion with itself, a value
// is outside [1/9, 9] (or not a number), a pair is compared twice, or a pair is missing.
func AHP(ids []int64, comps []Comparison) (AHPResult, error) {
	m, err := ahpMatrix(ids, comps)
	if err != nil {
		return AHPResult{}, err
	}
	n := len(ids)
	w := principalEigenvector(m)
	lambda := 0.0
	for i := range n {
		row := 0.0
		for j := range n {
			row += m[i][j] * w[j]
		}
		lambda += row / w[i]
	}
	lambda /= float64(n)
	res := AHPResult{Weights: make(map[int64]float64, n), LambdaMax: lambda}
	if n > 2 {
		res.ConsistencyRatio = max(0, (lambda-float64(n))/float64(n-1)/randomIndex[n])
	}
	for i, id := range ids {
		res.Weights[id] = w[i]
	}
	pos := positions(ids)
	worst := -1.0
	for _, c := range comps {
		i, j := pos[c.A], pos[c.B]
		if dev := math.Abs(math.Log(c.Value * w[j] / w[i])); dev > worst+worstTieTolerance {
			worst, res.Worst = dev, &[2]int64{c.A, c.B}
		}
	}
	return res, nil
}

func positions(ids []int64) map[int64]int {
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	return pos
}

// ahpMatrix checks the comparisons and builds the reciprocal matrix, rows in ids order.
func ahpMatrix(ids []int64, comps []Comparison) ([][]float64, error) {
	n := len(ids)
	switch {
	case n < 2:
		return nil, inputErrorf("il faut au moins 2 critères pour des comparaisons par paires (%d fourni)", n)
	case n > MaxAHPCriteria:
		return nil, inputErrorf("les comparaisons par paires portent sur %d critères au plus (%d fournis)", MaxAHPCriteria, n)
	}
	pos := make(map[int64]int, n)
	for i, id := range ids {
		if _, dup := pos[id]; dup {
			return nil, inputErrorf("le critère %d figure deux fois", id)
		}
		pos[id] = i
	}
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		m[i][i] = 1
	}
	for _, c := range comps {
		i, okA := pos[c.A]
		j, okB := pos[c.B]
		switch {
		case !okA:
			return nil, inputErrorf("le critère %d ne fait pas partie de la grille", c.A)
		case !okB:
			return nil, inputErrorf("le critère %d ne fait pas partie de la grille", c.B)
		case i == j:
			return nil, inputErrorf("le critère %d ne peut pas être comparé à lui-même", c.A)
		case !(c.Value >= MinComparison-comparisonSlack && c.Value <= MaxComparison+comparisonSlack):
			return nil, inputErrorf("la comparaison entre les critères %d et %d vaut %g : elle doit être comprise entre 1/9 et 9", c.A, c.B, c.Value)
		case m[i][j] != 0:
			return nil, inputErrorf("la comparaison entre les critères %d et %d est donnée deux fois", c.A, c.B)
		}
		m[i][j], m[j][i] = c.Value, 1/c.Value
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			if m[i][j] == 0 {
				return nil, inputErrorf("la comparaison entre les critères %d et %d manque", ids[i], ids[j])
			}
		}
	}
	return m, nil
}

// principalEigenvector returns the Perron vector of the positive matrix m, normalised to
// sum 1, by power iteration from the uniform vector.
func principalEigenvector(m [][]float64) []float64 {
	n := len(m)
	w, next := make([]float64, n), make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	for range ahpMaxIterations {
		sum := 0.0
		for i := range n {
			next[i] = 0
			for j := range n {
				next[i] += m[i][j] * w[j]
			}
			sum += next[i]
		}
		diff := 0.0
		for i := range n {
			next[i] /= sum
			diff = max(diff, math.Abs(next[i]-w[i]))
		}
		w, next = next, w
		if diff < ahpTolerance {
			break
		}
	}
	return w
}
