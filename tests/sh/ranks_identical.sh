# Same config and seed give bit-identical coefficients for -np 1, 2 and 3 (ant_obs_norm: with the
# running observation statistics, which rank 0 sums in candidate order; ant_mechanisms: the BCM
# rule with homeostatic scaling and short-term plasticity; ant_pgpe: PGPE's sigmas and ClipUp's
# velocity, which every rank updates from the same integer sums; ant_bodies: two of three bodies
# drawn per generation, the worst body's fitness, foot contacts as inputs; ant_merge: Evolve & Merge,
# k-means on every rank's replica after every generation but the last; ant_shared_pgpe: 20 shared
# rules merged every second generation, with PGPE's sigmas and ClipUp's velocity following the merge).
source "$(dirname "$0")/lib.sh"
for task in quadratic ant ant_obs_norm ant_mechanisms ant_pgpe ant_bodies ant_merge ant_shared_pgpe; do
  if [ $task = quadratic ]; then
    cfg=(configs/quadratic.json --set run.generations=30)
  else
    cfg=(tests/configs/ant-learn.json --set run.generations=3 --set es.population=12 --set env.max_steps=60)
  fi
  [ $task = ant_obs_norm ] && cfg+=(--set net.obs_norm=true)
  [ $task = ant_mechanisms ] && cfg+=(--set net.rule=BCM --set net.homeo_rate=0.01 --set net.stp_u=0.3
                                      --set net.stp_tau_f=20)
  [ $task = ant_pgpe ] && cfg+=(--set es.algorithm=pgpe --set es.optimizer=clipup --set es.lr=0.05)
  [ $task = ant_bodies ] && cfg+=(--set 'env.models=["envs/ant.xml", "envs/ant-damaged-right.xml", "envs/ant-short-rear-left.xml"]'
                                  --set env.bodies_per_generation=2 --set env.body_fitness=min --set env.foot_contacts=true)
  [ $task = ant_merge ] && cfg+=(--set 'net.hidden=[8]' --set net.merge_every=1 --set net.merge_keep=0.5 --set net.merge_min=3)
  [ $task = ant_shared_pgpe ] && cfg+=(--set 'net.hidden=[8]' --set net.shared_rules=20 --set net.merge_every=2
                                       --set net.merge_keep=0.5 --set es.algorithm=pgpe --set es.optimizer=clipup --set es.lr=0.05)
  for n in 1 2 3; do
    np $n train "${cfg[@]}" --set run.out_dir="$TMP/$task" --set run.name=np$n > "$TMP/$task-np$n.log"
  done
  h1=$(hashes "$TMP/$task/np1/checkpoint.h5")
  check "$task: -np 2 equals -np 1" test "$h1" = "$(hashes "$TMP/$task/np2/checkpoint.h5")"
  check "$task: -np 3 equals -np 1" test "$h1" = "$(hashes "$TMP/$task/np3/checkpoint.h5")"
  check "$task: progress has one row per generation" \
    test "$(($(wc -l < "$TMP/$task/np1/progress.csv") - 1))" = "$(grep -c '^gen ' "$TMP/$task-np1.log")"
done
check "ant_merge: merged after generations 1 and 2 (none after the last), 280 rules down to 70" \
  test "$(grep -c '^after generation [12]: merged' "$TMP/ant_merge-np1.log") $(grep -c merged "$TMP/ant_merge-np1.log") $("$HEBES" inspect "$TMP/ant_merge/np3/checkpoint.h5" | grep -c '^shared rules 70 in use for 280 synapses')" = "2 2 1"
check "ant_shared_pgpe: 20 rules merged into 10 after generation 2" grep -q '^after generation 2: merged 20 rules into 10' "$TMP/ant_shared_pgpe-np2.log"

# Over TCP, the transport multi-node jobs take (the ob1 messaging layer with the tcp transport only;
# otherwise Open MPI uses UCX or shared memory between ranks of one machine): the same bits.
mpirun -np 3 --oversubscribe --mca pml ob1 --mca btl tcp,self "$HEBES" train tests/configs/ant-learn.json --set run.generations=3 \
  --set es.population=12 --set env.max_steps=60 --set net.obs_norm=true --set run.out_dir="$TMP/ant_obs_norm" \
  --set run.name=tcp > "$TMP/tcp.log"
check "-np 3 over TCP (--mca pml ob1 --mca btl tcp,self) equals -np 1" \
  test "$(hashes "$TMP/ant_obs_norm/np1/checkpoint.h5")" = "$(hashes "$TMP/ant_obs_norm/tcp/checkpoint.h5")"
finish
