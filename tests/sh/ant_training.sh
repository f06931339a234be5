# A short Ant training raises the mean fitness.
source "$(dirname "$0")/lib.sh"
np 2 train tests/configs/ant-learn.json --set run.out_dir="$TMP" > "$TMP/log"
csv="$TMP/ant-learn/progress.csv"
# mean fitness (column 2) of the first three and of the last three generations
read -r first last < <(awk -F, 'NR > 1 { m[NR - 1] = $2; n = NR - 1 }
  END { printf "%f %f\n", (m[1] + m[2] + m[3]) / 3, (m[n] + m[n - 1] + m[n - 2]) / 3 }' "$csv")
echo "mean fitness: first three generations $first, last three $last"
check "mean fitness rises by more than 5" awk -v a="$first" -v b="$last" 'BEGIN { exit !(b > a + 5) }'
check "20 generations logged" test "$(($(wc -l < "$csv") - 1))" = 20
check "weight norms logged" grep -q norm_layer1 "$csv"
finish
