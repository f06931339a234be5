/* The one declaration of every configuration key. */
#include <stddef.h>

#include "cfg.h"

static const char *const task_names[] = {"ant", "quadratic", "attractor"};
static const char *const evolve_names[] = {"unit_rates", "global"};
static const char *const opt_names[] = {"sgd", "adam", "clipup"};
static const char *const algo_names[] = {"openai", "pgpe"};
static const char *const fitness_names[] = {"reward", "distance"};
static const char *const post_names[] = {"raw", "tanh"};
static const char *const counting_names[] = {"hebes", "notebook"};
static const char *const init_dist_names[] = {"normal", "uniform"};
static const char *const body_fitness_names[] = {"mean", "min"};

#define F(field) offsetof(cfg, field)
#define NUM(p, k, field, lo, hi, d, r, doc) {p, k, F(field), 0, 0, 0, lo, hi, NULL, 0, d, r, doc, 0}
#define STR(p, field, d, r, doc) {p, CFG_STRING, F(field), sizeof(((cfg *)0)->field), 0, 0, 0, 0, NULL, 0, d, r, doc, 0}
#define ENUM(p, field, names, n, d, doc) {p, CFG_ENUM, F(field), 0, 0, 0, 0, 0, names, n, d, 0, doc, 0}

const cfg_key cfg_keys[] = {
    STR("run.name", name, "\"hebes\"", 1, "Name of the run; the run folder is OUT_DIR/NAME."),
    NUM("run.seed", CFG_INT64, es.seed, 0, 9007199254740992.0, "1", 0,
        "Run seed: every random number of the run derives from it."),
    NUM("run.generations", CFG_INT, generations, 1, 1e9, "300", 1, "Generations to train (may be raised on resume)."),
    NUM("run.max_env_steps", CFG_INT64, max_env_steps, 0, 9007199254740992.0, "0", 1,
        "An env-step budget: the run stops after the generation whose training episodes bring its env steps "
        "(progress.csv total_steps) to this or more, or at run.generations, whichever comes first; 0 = no budget. "
        "Arms whose episodes end at different lengths get the same budget this way. May be raised on resume."),
    STR("run.out_dir", out_dir, "\"results\"", 1, "Folder that holds run folders."),
    NUM("run.checkpoint_every", CFG_INT, checkpoint_every, 1, 1e9, "10", 1,
        "Write a checkpoint every this many generations (and always at the end)."),
    NUM("run.keep_every", CFG_INT, keep_every, 0, 1e9, "0", 1,
        "Every this many generations, also keep a copy of the checkpoint as checkpoint-genN.h5 (N the generation "
        "it holds), which later checkpoints do not overwrite: a long run's history, each copy judged like "
        "checkpoint.h5 and resumable from a folder of its own (docs/checkpoint.md); 0 = keep none. Changes no bit "
        "of the run."),
    ENUM("run.task", task, task_names, 3, "\"ant\"",
         "What candidates are evaluated on: the MuJoCo Ant, a cheap quadratic for testing ES, or the free-energy "
         "attractor network, whose plasticity ES evolves (docs/attractor.md)."),
    NUM("run.eval_every", CFG_INT, eval_every, 0, 1e9, "0", 1,
        "Every this many generations, evaluate the unperturbed coefficients on env.eval_episodes held-out "
        "episodes per env.eval_models entry (progress.csv eval_* columns); 0 = never."),
    NUM("run.eval_seed", CFG_INT64, eval_seed, 0, 9007199254740992.0, "0", 1,
        "Seed of the held-out episodes of run.eval_every: the episodes of `hebes eval --seed N`, never "
        "training's."),

    {.path = "env.body", .kind = CFG_ENUM, .off = F(env.body), .names = env_body_names, .n_names = ENV_BODY_COUNT,
     .def = "\"ant\"",
     .doc = "The body env.models are (docs/environment.md, \"Bodies\"): ant, or half_cheetah, hopper, walker2d, "
            "swimmer, humanoid, each with its Gymnasium v5 observation, forward velocity, health and reset; a model path "
            "gymnasium:FILE names FILE among the installed Gymnasium's models. Their v5 rules: configs/bodies/."},
    {"env.models", CFG_STRING_LIST, F(models), CFG_PATH_MAX, F(n_models), CFG_MAX_MODELS, 0, 0, NULL, 0,
     "[\"envs/ant.xml\"]", 0,
     "MJCF models (bodies) to train on: a candidate plays es.episodes_per_candidate episodes on each body of its "
     "generation (env.bodies_per_generation) and its fitness combines them (env.body_fitness).", 0},
    NUM("env.bodies_per_generation", CFG_INT, bodies_per_gen, 0, CFG_MAX_MODELS, "0", 0,
        "0: every env.models entry every generation; K: K bodies drawn without replacement from env.models each "
        "generation, the same K for every candidate of the generation (from run.seed and the generation)."),
    ENUM("env.body_fitness", body_fitness, body_fitness_names, 2, "\"mean\"",
         "A candidate's fitness over its bodies: mean = the mean of all its episodes; min = the worst body's mean "
         "(so that a run cannot specialise on some bodies)."),
    {"env.eval_models", CFG_STRING_LIST, F(eval_models), CFG_PATH_MAX, F(n_eval_models), CFG_MAX_EVAL_MODELS, 0, 0,
     NULL, 0, "[\"envs/ant.xml\"]", 1, "Models `hebes eval` and run.eval_every report on, each separately.", 0},
    NUM("env.eval_episodes", CFG_INT, eval_episodes, 1, 1e6, "10", 1, "Episodes per model for `hebes eval` and run.eval_every."),
    NUM("env.eval_max_steps", CFG_INT, eval_max_steps, 0, 1e7, "0", 1,
        "Environment steps per held-out episode (`hebes eval`, run.eval_every); 0 = env.max_steps. Training may "
        "use shorter episodes than the ones the coefficients are judged on."),
    NUM("env.max_steps", CFG_INT, env.max_steps, 1, 1e7, "1000", 0, "Environment steps per episode at most."),
    NUM("env.frame_skip", CFG_INT, env.frame_skip, 1, 1000, "5", 0, "Physics steps per environment step."),
    NUM("env.contact_obs", CFG_BOOL, env.contact_obs, 0, 1, "false", 0,
        "Append the clipped external contact forces of the 13 bodies (78 values) to the observation."),
    NUM("env.foot_contacts", CFG_BOOL, env.foot_contacts, 0, 1, "false", 0,
        "Append four inputs, one per foot (the body of joint ankle_N, N = 1 to 4: lead-left, rear-left, "
        "rear-right, lead-right), 1 while it touches the floor, else 0 (the paper's Bullet Ant read foot "
        "contacts); after the contact forces when both are on."),
    NUM("env.heading_obs", CFG_BOOL, env.heading_obs, 0, 1, "false", 0,
        "Append two inputs, sin and cos of the angle from the torso's facing (its x axis in the floor's "
        "plane) to +x, the walking direction: the paper's Bullet Ant read its angle to a target far "
        "along +x. Last, after the foot contacts (docs/environment.md)."),
    NUM("env.contact_cost_weight", CFG_DOUBLE, env.contact_cost_weight, 0, 1e6, "0", 0,
        "Weight of the contact cost (v5 uses 5e-4; 0 = off as in v4). Reward fitness only."),
    NUM("env.healthy_reward", CFG_DOUBLE, env.healthy_reward, -1e6, 1e6, "1", 0,
        "Reward per healthy step (reward fitness)."),
    NUM("env.ctrl_cost_weight", CFG_DOUBLE, env.ctrl_cost_weight, 0, 1e6, "0.5", 0,
        "Weight of the control cost sum(a^2) (reward fitness)."),
    NUM("env.reset_noise_scale", CFG_DOUBLE, env.reset_noise_scale, 0, 10, "0.1", 0,
        "qpos += U(-s, s), qvel = s N(0, 1) at reset."),
    NUM("env.healthy_z_min", CFG_DOUBLE, env.healthy_z_min, -1e6, 1e6, "0.2", 0,
        "The episode ends when the torso's z leaves [min, max]."),
    NUM("env.healthy_z_max", CFG_DOUBLE, env.healthy_z_max, -1e6, 1e6, "1.0", 0, "See env.healthy_z_min."),
    NUM("env.healthy_angle_min", CFG_DOUBLE, env.healthy_angle_min, -1e6, 1e6, "0", 0,
        "Hopper, Walker2d: the episode also ends when the torso's angle (qpos[2]) leaves (min, max); off when "
        "min >= max."),
    NUM("env.healthy_angle_max", CFG_DOUBLE, env.healthy_angle_max, -1e6, 1e6, "0", 0, "See env.healthy_angle_min."),
    NUM("env.healthy_state_max", CFG_DOUBLE, env.healthy_state_max, 0, 1e300, "0", 0,
        "Hopper: the episode also ends when a state but x and z (qpos[2:], qvel) leaves (-max, max); 0 = off."),
    NUM("env.contact_cost_max", CFG_DOUBLE, env.contact_cost_max, 0, 1e300, "0", 0,
        "Humanoid: the contact cost is clipped to this (Humanoid-v5: 10); 0 = no clip."),
    NUM("env.forward_reward_weight", CFG_DOUBLE, env.forward_reward_weight, -1e6, 1e6, "1", 0,
        "Weight of the forward velocity dx/dt in the reward (reward fitness)."),
    ENUM("env.fitness", env.fitness, fitness_names, 2, "\"reward\"",
         "reward: Gymnasium Ant-v5 return; distance: torso x travelled (the paper's; step reward = dx)."),
    NUM("env.early_stop", CFG_BOOL, env.early_stop, 0, 1, "false", 0,
        "The paper's early stop: after early_stop_after steps, stop after early_stop_patience consecutive "
        "negative step rewards."),
    NUM("env.early_stop_after", CFG_INT, env.early_stop_after, 0, 1e7, "200", 0, "See env.early_stop."),
    NUM("env.early_stop_patience", CFG_INT, env.early_stop_patience, 1, 1e7, "30", 0, "See env.early_stop."),
    NUM("env.unhealthy_grace", CFG_INT, env.unhealthy_grace, 0, 1e7, "0", 0,
        "An unhealthy torso does not end the episode during the first N steps (the notebook: 200, with "
        "env.step_counting = notebook)."),
    ENUM("env.step_counting", env.notebook_counting, counting_names, 2, "\"hebes\"",
         "The step count that env.early_stop_after and env.unhealthy_grace compare with: hebes = steps taken; "
         "notebook = the paper's notebook (one less, and early stop needs patience + 1 negatives)."),
    NUM("env.fitness_scale", CFG_DOUBLE, env.fitness_scale, 1e-12, 1e12, "1", 0,
        "Every step reward is multiplied by this (the notebook's distance reward is 1/0.0165 = 60.6 x dx), "
        "which sets the weight of es.l2_penalty against the fitness."),
    {.path = "env.damage_leg", .kind = CFG_ENUM, .off = F(env.damage_leg), .names = env_leg_names,
     .n_names = ENV_LEG_COUNT, .def = "\"none\"", .eval_ok = 1,
     .doc = "Damage during the episode: from env.damage_step on, this leg's motors give env.damage_gear times their "
            "torque; the policy still pays the control cost of what it asks. The Ant: front_left, front_right, "
            "back_left, back_right (hip_N and ankle_N, front_left is 1); HalfCheetah: back, front (thigh, shin, "
            "foot); Hopper: single; Walker2d: right, left (thigh, leg, foot); Humanoid: right, left (hip x, z, y, "
            "knee). none = no damage."},
    {.path = "env.damage_step", .kind = CFG_INT, .off = F(env.damage_step), .min = 0, .max = 1e7, .def = "0",
     .eval_ok = 1, .doc = "See env.damage_leg: the damage strikes after this many steps (0: from the start)."},
    {.path = "env.damage_gear", .kind = CFG_DOUBLE, .off = F(env.damage_gear), .min = 0, .max = 1, .def = "0",
     .eval_ok = 1, .doc = "See env.damage_leg: 0 disables the leg, 0.5 halves its torque."},

    {"net.hidden", CFG_INT_LIST, F(hidden), sizeof(int), F(n_hidden), HEB_MAX_LAYERS - 1, 1, 100000, NULL, 0,
     "[128, 64]", 0, "Hidden layer sizes (1 to 4 layers); tanh units, no biases.", 0},
    ENUM("net.rule", net.rule, heb_rule_names, HEB_RULE_COUNT, "\"ABCD_lr\"",
         "Plasticity rule (docs/rules.md); static = evolved fixed weights; hebb, hebb_clipped, oja = classic "
         "rules with global constants."),
    ENUM("net.init", net.init, heb_init_names, HEB_INIT_COUNT, "\"uni\"",
         "Distribution of the initial weights, drawn afresh every episode."),
    ENUM("net.out_post_activity", net.out_post_tanh, post_names, 2, "\"tanh\"",
         "Post-synaptic activity of the last layer in the update: the tanh action or the raw output."),
    NUM("net.obs_norm", CFG_BOOL, obs_norm, 0, 1, "false", 0,
        "Feed the network (x - mean) / std of each observation, clipped to +-net.obs_clip, with mean and std "
        "(at least 0.1) running over every step of every training episode of the generations before "
        "(OpenAI-ES; the std of all those steps, divided by their count); the statistics are part of the "
        "checkpoint."),
    NUM("net.obs_clip", CFG_DOUBLE, obs_clip, 0, 1e6, "5", 0, "See net.obs_norm."),
    NUM("net.normalize", CFG_BOOL, net.normalize, 0, 1, "false", 0,
        "Divide each layer by its max |w| after every update."),
    NUM("net.coevolve_init", CFG_BOOL, net.coevolve_init, 0, 1, "false", 0,
        "Evolve the initial weights too (appended to the parameters; not resampled)."),
    NUM("net.neuron_centric", CFG_BOOL, net.neuron_centric, 0, 1, "false", 0,
        "Neuron-centric rule coefficients: each unit carries the rule's coefficients and a synapse's are the "
        "mean of its two units' (docs/rules.md); 5 x 227 = 1,135 parameters for ABCD_lr on 27-128-64-8 "
        "instead of 60,800."),
    NUM("net.shared_rules", CFG_INT, net.shared_rules, 0, 1e8, "0", 0,
        "Shared rules (docs/rules.md): K > 0 rules of the rule's coefficients, each synapse on one drawn from "
        "run.seed (a genomic bottleneck); 0 with net.merge_every: one rule per synapse to start from (Evolve & "
        "Merge). The rule count and each synapse's rule travel in the parameter vector, never perturbed."),
    NUM("net.merge_every", CFG_INT, net.merge_every, 0, 1e9, "0", 0,
        "Evolve & Merge: every this many generations, k-means merges the rules in use into "
        "ceil(net.merge_keep x count) (at least net.merge_min), right before the next generation runs "
        "(never after the last); the optimizer's state follows. 0 = never."),
    NUM("net.merge_keep", CFG_DOUBLE, net.merge_keep, 0.001, 1, "0.5", 1,
        "See net.merge_every: the fraction of the rules a merge keeps."),
    NUM("net.merge_min", CFG_INT, net.merge_min, 1, 1e8, "1", 1,
        "See net.merge_every: merging stops at this many rules."),
    NUM("net.weight_decay", CFG_DOUBLE, net.weight_decay, 0, 1, "0", 0, "w <- w (1 - decay) after every update."),
    NUM("net.w_min", CFG_DOUBLE, net.w_min, -1e300, 1e300, "0", 0,
        "Lower weight bound; bounds apply when w_min < w_max."),
    NUM("net.w_max", CFG_DOUBLE, net.w_max, -1e300, 1e300, "0", 0, "Upper weight bound; see net.w_min."),
    NUM("net.eta", CFG_DOUBLE, net.eta, -1e6, 1e6, "0.001", 0, "Learning rate of the classic rules."),
    NUM("net.oja_alpha", CFG_DOUBLE, net.oja_alpha, 0, 1e6, "1", 0, "Oja's alpha: ||w|| tends to 1/sqrt(alpha)."),
    NUM("net.clip_norm", CFG_DOUBLE, net.clip_norm, 0, 1e300, "1", 0,
        "hebb_clipped: each unit's incoming weight norm is kept <= this."),
    NUM("net.bcm_tau", CFG_DOUBLE, net.bcm_tau, 1, 1e7, "100", 0,
        "BCM rule: time constant (env steps) of each unit's sliding threshold, which tracks the mean of o_j^2."),
    NUM("net.bcm_theta0", CFG_DOUBLE, net.bcm_theta0, 0, 1e6, "0.1", 0, "BCM rule: the thresholds at reset."),
    NUM("net.homeo_rate", CFG_DOUBLE, net.homeo_rate, 0, 1, "0", 0,
        "Homeostatic scaling after every update: w_ij <- w_ij (1 + rate (target - a_j)), a_j the running mean of "
        "|o_j|; 0 = off. Needs a plastic rule."),
    NUM("net.homeo_target", CFG_DOUBLE, net.homeo_target, 0, 1, "0.3", 0,
        "Homeostatic scaling: the mean |activity| each unit is driven to."),
    NUM("net.homeo_tau", CFG_DOUBLE, net.homeo_tau, 1, 1e7, "100", 0,
        "Homeostatic scaling: time constant (env steps) of the running mean of |o_j|."),
    NUM("net.stp_u", CFG_DOUBLE, net.stp_u, 0, 1, "0", 0,
        "Short-term plasticity (Tsodyks-Markram) of every input to every layer: baseline release U; the "
        "input reaches the layer times u x / U; 0 = off, else at least 1e-3."),
    NUM("net.stp_tau_f", CFG_DOUBLE, net.stp_tau_f, 0, 1e7, "0", 0,
        "Short-term plasticity: facilitation time constant (env steps); 0 = no facilitation (u stays U)."),
    NUM("net.stp_tau_d", CFG_DOUBLE, net.stp_tau_d, 1, 1e7, "20", 0,
        "Short-term plasticity: recovery time constant of the resources x (env steps)."),
    {.path = "net.plastic_steps", .kind = CFG_INT, .off = F(net.plastic_steps), .min = 0, .max = 1e9, .def = "0",
     .eval_ok = 1,
     .doc = "The network changes after each of an episode's first this many steps only: from then on its weights, "
            "short-term plasticity and homeostatic state stay as they are (a fixed network). An ablation of "
            "ongoing plasticity (`hebes eval --set net.plastic_steps=100`); 0 = plastic throughout. Needs a "
            "plastic rule."},

    NUM("es.population", CFG_INT, es.population, 2, 1e7, "500", 0,
        "Candidates per generation: mirrored pairs, so it must be even."),
    NUM("es.episodes_per_candidate", CFG_INT, es.episodes_per_candidate, 1, 1000, "1", 0,
        "Episodes per model and candidate; the fitness is their mean."),
    ENUM("es.algorithm", es.algorithm, algo_names, 2, "\"openai\"",
         "openai: one sigma for every parameter, with es.sigma_decay (OpenAI-ES, the paper's); pgpe: a sigma per "
         "parameter, adapted every generation from the same mirrored samples (PGPE, Sehnke et al. 2010; "
         "docs/es.md)."),
    NUM("es.sigma", CFG_DOUBLE, es.sigma, 1e-12, 1e6, "0.1", 0,
        "Initial perturbation scale (pgpe: every parameter's initial sigma)."),
    NUM("es.sigma_decay", CFG_DOUBLE, es.sigma_decay, 0, 1, "0.999", 0,
        "sigma <- max(sigma * decay, sigma_min) after every generation (openai only)."),
    NUM("es.sigma_min", CFG_DOUBLE, es.sigma_min, 0, 1e6, "0.01", 0, "Floor of the sigma decay (see es.sigma_decay)."),
    NUM("es.pgpe_sigma_lr", CFG_DOUBLE, es.pgpe_sigma_lr, 0, 1e6, "0.1", 0,
        "pgpe: step size of the sigma update (EvoJAX's and EvoTorch's default 0.1)."),
    NUM("es.pgpe_sigma_max_change", CFG_DOUBLE, es.pgpe_sigma_max_change, 0, 1, "0.2", 0,
        "pgpe: one update changes a sigma by at most this fraction of it (keeps sigma positive)."),
    NUM("es.lr", CFG_DOUBLE, es.lr, 0, 1e6, "0.2", 0, "Initial learning rate (clipup: the step size alpha)."),
    NUM("es.lr_decay", CFG_DOUBLE, es.lr_decay, 0, 1, "0.995", 0, "lr <- max(lr * decay, lr_min) after every generation."),
    NUM("es.lr_min", CFG_DOUBLE, es.lr_min, 0, 1e6, "0.001", 0, "Floor of the lr decay (see es.lr_decay)."),
    ENUM("es.optimizer", es.optimizer, opt_names, 3, "\"sgd\"",
         "sgd (the paper's), adam (OpenAI-ES), or clipup (Toklu et al. 2020: the normalised gradient into a "
         "momentum velocity whose norm is clipped to es.clipup_max_speed; docs/es.md)."),
    NUM("es.adam_beta1", CFG_DOUBLE, es.adam_beta1, 0, 0.999999, "0.9", 0, "Adam's beta1."),
    NUM("es.adam_beta2", CFG_DOUBLE, es.adam_beta2, 0, 0.999999999, "0.999", 0, "Adam's beta2."),
    NUM("es.adam_eps", CFG_DOUBLE, es.adam_eps, 1e-300, 1, "1e-8", 0, "Adam's epsilon."),
    NUM("es.adam_l2", CFG_DOUBLE, es.adam_l2, 0, 1e6, "0.005", 0, "Adam: L2 coefficient on the parameters (OpenAI-ES)."),
    NUM("es.clipup_max_speed", CFG_DOUBLE, es.clipup_max_speed, 0, 1e6, "0", 0,
        "ClipUp: the velocity's norm is clipped to this; 0 = twice es.lr (Toklu et al.'s advice)."),
    NUM("es.clipup_momentum", CFG_DOUBLE, es.clipup_momentum, 0, 0.999999, "0.9", 0, "ClipUp's momentum."),
    NUM("es.l2_penalty", CFG_DOUBLE, es.l2_penalty, 0, 1e6, "0.01", 0,
        "Fitness penalty weight times mean(candidate^2)."),
    NUM("es.init_std", CFG_DOUBLE, es.init_std, 0, 1e6, "1", 0,
        "Scale of the initial parameters: N(0, init_std^2), or U(-init_std, init_std); see es.init_dist."),
    ENUM("es.init_dist", es.init_dist, init_dist_names, 2, "\"normal\"",
         "Distribution of the initial parameters: normal (OpenAI-ES) or uniform (the paper's code, U(-1, 1))."),

    NUM("task.quadratic_dim", CFG_INT, quadratic_dim, 1, 1e8, "100", 0,
        "Dimension of the quadratic test objective (run.task = quadratic)."),

    STR("attractor.digits", att.digits, "\"/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz\"", 1,
        "The 8x8 digits (scikit-learn's digits.csv.gz; Debian's python3-sklearn ships it)."),
    {"attractor.sequence", CFG_INT_LIST, F(att.sequence), sizeof(int), F(att.n_sequence), 8, 0, 1796, NULL, 0,
     "[1, 2, 3]", 0, "Images of the digits file presented in order, one per iteration (images 0-9 are the digits "
     "0-9).", 0},
    {"attractor.held_out", CFG_INT_LIST, F(att.held_out), sizeof(int), F(att.n_held_out), 8, 0, 1796, NULL, 0,
     "[4, 5, 6]", 1, "A sequence never trained on: `hebes attractor --ckpt` evaluates evolved plasticity on it.", 0},
    NUM("attractor.evidence", CFG_DOUBLE, att.evidence, 0, 1e6, "20", 0,
        "Scale of the biases: each image squared, standardised over its pixels, times this."),
    NUM("attractor.beta", CFG_DOUBLE, att.beta, 1e-6, 1e6, "1", 0, "Inverse temperature (run.task = attractor: "
        "times the evolved factor)."),
    NUM("attractor.eta", CFG_DOUBLE, att.eta, 0, 1e6, "0.001", 0,
        "Learning rate of the couplings (run.task = attractor: each unit's rate is this times its evolved factor)."),
    NUM("attractor.iterations", CFG_INT, att.iterations, 1, 1e8, "2000", 0,
        "Presentation iterations: one step with learning each, biased by the next image of the sequence."),
    NUM("attractor.stochastic", CFG_BOOL, att.stochastic, 0, 1, "true", 0,
        "Sampled (stochastic) updates, else deterministic (each unit takes its mean)."),
    NUM("attractor.free_steps", CFG_INT, att.free_steps, 1, 1e7, "100", 0,
        "Steps of a free run (zero bias, no learning) after the presentation."),
    NUM("attractor.free_runs", CFG_INT, att.free_runs, 1, 1e5, "20", 0,
        "Free runs, each with its own random numbers (run.task = attractor: per candidate)."),
    NUM("attractor.threshold", CFG_DOUBLE, att.threshold, -1, 1, "0.5", 0,
        "A free-run step visits the image it correlates with most when the correlation is at least this."),
    ENUM("attractor.evolve", att.evolve, evolve_names, 2, "\"unit_rates\"",
         "run.task = attractor: what ES evolves: a log-factor on each unit's learning rate and one on the inverse "
         "temperature (65 numbers), or one on every rate and one on it (global: 2)."),
    NUM("attractor.relax_steps", CFG_INT, att.relax_steps, 1, 1e7, "1000", 1,
        "Steps at most of the deterministic relaxation that finds the attractors of the symmetric part."),
};

const size_t cfg_n_keys = sizeof cfg_keys / sizeof cfg_keys[0];
