# The Python policy API (python/hebes): for every rule and mechanism, a checkpoint's network fed a
# trace's inputs gives the trace's weights, activities and actions to float32 rounding.
source "$(dirname "$0")/lib.sh"
cases=(
  "net.rule=static" "net.rule=A" "net.rule=AD" "net.rule=AD_lr" "net.rule=ABC" "net.rule=ABC_lr" "net.rule=ABCD"
  "net.rule=ABCD_lr" "net.rule=ABCD_lr_D_out" "net.rule=ABCD_lr_D_in_and_out" "net.rule=BCM"
  "net.rule=hebb net.coevolve_init=true" "net.rule=hebb_clipped net.coevolve_init=true net.clip_norm=0.5"
  "net.rule=oja net.coevolve_init=true net.eta=0.01"
  "net.rule=ABCD_lr net.obs_norm=true net.weight_decay=0.05"
  "net.rule=ABCD_lr net.stp_u=0.3 net.stp_tau_f=20 net.stp_tau_d=10"
  "net.rule=ABCD_lr net.stp_u=0.3 net.homeo_rate=0.05 net.plastic_steps=15"
  "net.rule=ABCD_lr net.homeo_rate=0.05 net.homeo_target=0.2 net.homeo_tau=10"
  "net.rule=BCM net.homeo_rate=0.01 net.stp_u=0.5 net.stp_tau_f=5 net.out_post_activity=raw"
  "net.rule=ABCD net.w_min=-0.2 net.w_max=0.3" "net.rule=AD net.normalize=true"
  "net.rule=ABC net.out_post_activity=raw net.init=normal" "net.rule=ABCD_lr net.init=sparse"
  "net.rule=ABCD_lr net.init=xa_uni" "net.rule=ABCD_lr net.init=ka_uni" "net.rule=AD_lr net.coevolve_init=true"
  "net.rule=ABCD_lr net.neuron_centric=true" "net.rule=ABC net.neuron_centric=true net.stp_u=0.3"
  "net.rule=ABCD_lr net.shared_rules=7" "net.rule=ABC net.merge_every=1 net.merge_keep=0.3 net.stp_u=0.3"
)
k=0
for c in "${cases[@]}"; do
  k=$((k + 1))
  sets=()
  for kv in $c; do sets+=(--set "$kv"); done
  np 1 train tests/configs/ant-learn.json --set run.generations=1 --set es.population=4 --set env.max_steps=40 \
    --set env.healthy_z_max=1e6 --set env.healthy_z_min=-1e6 --set "net.hidden=[12, 6]" "${sets[@]}" \
    --set run.out_dir="$TMP" --set run.name=c$k > /dev/null
  "$HEBES" eval "$TMP/c$k/checkpoint.h5" --episodes 1 --seed $k --trace "$TMP/c$k/t.h5" --trace-weights-every 1 > /dev/null
  check "$c: the Python policy reproduces the trace" /usr/bin/python3 tests/python_api_check.py "$TMP/c$k/checkpoint.h5" "$TMP/c$k/t.h5"
done
# the seed of hebes eval's episodes
check "eval_episode_seed matches the trace's episode_seed" /usr/bin/python3 -c "
import sys, h5py
sys.path.insert(0, 'python')
import hebes
assert hebes.eval_episode_seed(1, 0) == int(h5py.File('$TMP/c1/t.h5', 'r').attrs['episode_seed'])"
# bad input: each refused by name, the network's state untouched (tests/python_api_errors.py)
check "the Python API refuses bad checkpoints and observations by name" \
  /usr/bin/python3 tests/python_api_errors.py results/v5-hebbian/v5-static/checkpoint.h5 results/ant-quick/config.json "$TMP"
finish
