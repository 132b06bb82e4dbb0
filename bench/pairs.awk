# bench/pairs.awk: lines "KEY A B" (one paired run of Panthor A and panref B,
# in the same unit) in, per KEY out: the medians of A and of B, and the
# median of the paired ratios B / A with their minimum and maximum.
# -v width=N sets the KEY column's width, -v unit=S the unit printed.
function med(s,   v, m, i, j, x) {
	m = split(s, v, " ")
	for (i = 1; i <= m; i++)
		for (j = i + 1; j <= m; j++)
			if (v[j] + 0 < v[i] + 0) { x = v[i]; v[i] = v[j]; v[j] = x }
	lo = v[1]; hi = v[m]
	return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
}
{ k = $1; a[k] = a[k] " " $2; b[k] = b[k] " " $3; r[k] = r[k] " " $3 / $2; n[k]++ }
END {
	for (k in n) {
		pa = med(a[k]); pb = med(b[k]); rr = med(r[k])
		printf "  %-*s Panthor %9.2f%s  panref %9.2f%s  ratio %.2f [%.2f .. %.2f]\n",
			width, k, pa, unit, pb, unit, rr, lo, hi
	}
}
