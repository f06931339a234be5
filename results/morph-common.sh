# Sourced by results/morph-paper/run.sh and results/morph-spread/run.sh: the steps both experiments
# take after training, for run folders OUT/PREFIX-ARM-sK (ARM stp and static, K = 1..3).
#   morph_tables OUT PREFIX                 tables across seeds (with the episodes that keep half the
#                                           standard distance), speed against step, plots, the
#                                           held-out distance during training (heldout-curve.md/.png)
#   morph_films OUT PREFIX MODEL            seed 1 of each arm on MODEL (the body it never saw)
#   morph_damage OUT PREFIX                 the lead-left leg failing at step 500 (50 episodes per seed)
#   morph_plastic OUT PREFIX                the Hebbian arm's network fixed after K = 1, 100, 300 steps
# results/morph-walk/run.sh uses morph_tables and morph_damage too.
hebes=${HEBES:-build/hebes}

morph_tables() {
  local out=$1 prefix=$2 s arm k run args tmp
  /usr/bin/python3 tools/seeds_table.py "$out" --compare stp static --reach 0.5 > "$out/table.md"
  for s in 12345 777; do
    args=()
    for arm in stp static; do
      for k in 1 2 3; do args+=("$arm=$out/$prefix-$arm-s$k/per-step-$s.csv"); done
    done
    /usr/bin/python3 tools/adaptation.py "${args[@]}" --out "$out/speed-$s.png" > "$out/speed-$s.md"
  done
  for run in "$out/$prefix"-*-s[0-9]*; do /usr/bin/python3 tools/plot_run.py "$run" > /dev/null; done
  tmp=$(mktemp -d)
  /usr/bin/python3 tools/plot_run.py "$out/$prefix-*-s[0-9]*" --out "$tmp" --x steps > /dev/null
  mv "$tmp/runs.png" "$out/runs.png" && rm -rf "$tmp"
  /usr/bin/python3 tools/heldout_curve.py "$out/$prefix"-*-s[0-9]* --out "$out/heldout-curve.png" > "$out/heldout-curve.md"
  cat "$out/table.md"
}

morph_films() {
  local out=$1 prefix=$2 film_model=$3 arm f
  for arm in stp static; do
    f=$out/heldout-$arm.mp4
    [ -s "$f" ] || "$hebes" eval "$out/$prefix-$arm-s1/checkpoint.h5" --which current --episodes 1 --seed 5 \
      --model "$film_model" --video "$f" --width 480 --height 360
  done
}

morph_damage() {
  local out=$1 prefix=$2 arm k s run dmg eps
  for arm in stp static; do
    for k in 1 2 3; do
      run=$out/$prefix-$arm-s$k
      for s in 12345 777; do
        [ -s "$run/damaged-$s.txt" ] && continue
        "$hebes" eval "$run/checkpoint.h5" --which current --episodes 50 --seed "$s" --model envs/ant.xml \
          --set env.damage_leg=front_left --set env.damage_step=500 \
          --per-step "$run/damaged-$s.csv" --out "$run/damaged-$s-episodes.csv" > "$run/damaged-$s.txt.tmp"
        mv "$run/damaged-$s.txt.tmp" "$run/damaged-$s.txt"
      done
    done
  done
  for s in 12345 777; do
    dmg=() eps=()
    for arm in stp static; do
      for k in 1 2 3; do
        dmg+=("$arm=$out/$prefix-$arm-s$k/damaged-$s.csv")
        eps+=("$arm=$out/$prefix-$arm-s$k/damaged-$s-episodes.csv")
      done
    done
    /usr/bin/python3 tools/adaptation.py "${dmg[@]}" --damage 500 --out "$out/damage-$s.png" --episodes "${eps[@]}" \
      > "$out/damage-$s.md"
  done
}

# Whether ongoing plasticity carries the walk: each finished Hebbian run evaluated (50 held-out
# episodes per body and evaluation seed) with its network fixed after K steps, K = 1 (the random
# weights after one update), 100 and 300; then tools/plastic_table.py beside its plastic evaluation.
morph_plastic() {
  local out=$1 prefix=$2 k s run runs=()
  for run in "$out/$prefix"-stp-s[0-9]*; do
    [ -s "$run/eval-777.csv" ] || continue # not finished and judged yet
    runs+=("$run")
    for k in 1 100 300; do
      for s in 12345 777; do
        [ -s "$run/plastic-$k-$s.csv" ] && continue
        "$hebes" eval "$run/checkpoint.h5" --which current --episodes 50 --seed "$s" \
          --set net.plastic_steps=$k --out "$run/plastic-$k-$s.csv.tmp" > /dev/null
        mv "$run/plastic-$k-$s.csv.tmp" "$run/plastic-$k-$s.csv"
      done
    done
  done
  [ ${#runs[@]} -gt 0 ] && /usr/bin/python3 tools/plastic_table.py "${runs[@]}" | tee "$out/plastic.md"
}
