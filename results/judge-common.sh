# Sourced by the results scripts that judge a checkpoint on 50 held-out episodes of evaluation seeds
# 12345 and 777, with `hebes eval --which current` ($HEBES; eval-SEED.txt and .csv) and in
# Gymnasium's own Ant-v5 (tools/gym_eval.py; gym-SEED.txt and .csv). A judgement that exists is left
# alone; one is written whole or not at all (to FILE.tmp, then renamed), so that a stop in the
# middle leaves nothing that a later run would take for done.
#   judge_eval CKPT DIR        judge_gym CKPT DIR
judge_file() { # judge_file OUT COMMAND...: COMMAND's stdout into OUT, unless OUT is there already
  local out=$1; shift
  [ ! -s "$out" ] || return 0
  "$@" > "$out.tmp" || { rm -f "$out.tmp"; return 1; }
  mv "$out.tmp" "$out"
}
judge_eval() {
  local s
  for s in 12345 777; do
    judge_file "$2/eval-$s.txt" "$HEBES" eval "$1" --which current --episodes 50 --seed $s --out "$2/eval-$s.csv"
  done
}
judge_gym() {
  local s
  for s in 12345 777; do
    judge_file "$2/gym-$s.txt" .venv/bin/python tools/gym_eval.py "$1" --which current --episodes 50 --seed $s \
      --out "$2/gym-$s.csv"
  done
}
