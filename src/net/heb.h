/* Hebbian networks: a tanh MLP without biases whose synapses change every step
 * by a per-synapse plasticity rule.
 *
 * Constant part: heb_spec (what the user configured) and heb_layout (sizes and
 * offsets derived from it). Mutable per-rollout part: heb_state (weights and
 * activities), allocated once and reused across episodes.
 *
 * Parameter vector layout (the ES vector and the checkpoint's "coefficients"):
 *   for each weight layer l (input side first):
 *     for each coefficient c of the rule (in the order of the rule's table):
 *       for each pre-synaptic unit i: for each post-synaptic unit j: h_c[l][i][j]
 *   then, only with coevolve_init: for each layer l: for i: for j: w0[l][i][j]
 * (the static rule's one coefficient is the weight itself).
 * One contiguous array per coefficient and pre-synaptic-major weights,
 * W_l[i * n_post + j], make the forward pass and the update loops over j that
 * vectorise without reordering any sum.
 *
 * The ES vector is double; a rollout runs on a single-precision copy of it
 * (heb_coef_from_params) and single-precision weights and activities. Per env
 * step the network streams its coefficients and weights once: in float that is
 * half the bytes competing with MuJoCo for the core's cache and twice the SIMD
 * lanes, and float32 is what the paper's networks ran in. */
#ifndef HEBES_HEB_H
#define HEBES_HEB_H

#include <stddef.h>

#include <stdint.h>

#include "rng.h"

#define HEB_MAX_LAYERS 5 /* weight layers; at most 4 hidden */

/* Hot loops get an AVX2 clone picked at load time. They are element-wise with
 * FMA contraction off (strict C11), so every clone computes the same bits. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define HEB_HOT __attribute__((target_clones("avx2", "default")))
#else
#define HEB_HOT
#endif

typedef float heb_real;

typedef enum {
    HEB_STATIC,           /* non-plastic: the parameters are the weights */
    HEB_A,                /* h0 oi oj */
    HEB_AD,               /* h0 oi oj + h1 */
    HEB_AD_LR,            /* h2 (h0 oi oj + h1) */
    HEB_ABC,              /* h0 oi oj + h1 oi + h2 oj */
    HEB_ABC_LR,           /* h3 (h0 oi oj + h1 oi + h2 oj) */
    HEB_ABCD,             /* h0 oi oj + h1 oi + h2 oj + h3 */
    HEB_ABCD_LR,          /* h3 (h0 oi oj + h1 oi + h2 oj + h4) */
    HEB_ABCD_LR_D_OUT,    /* h3 (h0 oi oj + h1 oi + h2 oj) + h4 */
    HEB_ABCD_LR_D_IN_OUT, /* h3 (h0 oi oj + h1 oi + h2 oj + h4) + h5 */
    HEB_HEBB,             /* eta oi oj (eta from the spec; nothing evolved) */
    HEB_HEBB_CLIPPED,     /* Hebb, then each unit's weight row rescaled to norm <= clip_norm */
    HEB_OJA,              /* eta (oi oj - alpha oj^2 w) */
    HEB_BCM,              /* h0 oi oj (oj - theta_j): a sliding threshold theta_j tracks mean oj^2 */
    HEB_RULE_COUNT
} heb_rule;

typedef enum {
    HEB_INIT_UNI,        /* U(-0.1, 0.1) */
    HEB_INIT_NORMAL,     /* N(0, 0.024^2) */
    HEB_INIT_XA_UNI,     /* Xavier uniform, gain 0.3 */
    HEB_INIT_SPARSE,     /* 80% zeros, others N(0, 0.01^2) */
    HEB_INIT_KA_UNI,     /* Kaiming uniform, a = 3 */
    HEB_INIT_UNI_BIG,    /* U(-1, 1) */
    HEB_INIT_XA_UNI_BIG, /* Xavier uniform, gain 1 */
    HEB_INIT_ONES,
    HEB_INIT_ZEROS,
    HEB_INIT_COUNT
} heb_init;

extern const char *const heb_rule_names[HEB_RULE_COUNT];
extern const char *const heb_init_names[HEB_INIT_COUNT];

/* Evolved coefficients per synapse (0 for the classic rules). */
int heb_rule_ncoef(heb_rule rule);

typedef struct {
    int n_layers;                   /* weight layers */
    int sizes[HEB_MAX_LAYERS + 1];  /* units: sizes[0] inputs ... sizes[n_layers] outputs */
    heb_rule rule;
    heb_init init;
    int out_post_tanh;  /* last layer's post-synaptic activity: 1 tanh(output), 0 raw output */
    int normalize;      /* divide each layer by its max |w| after every update */
    int coevolve_init;  /* initial weights are evolved parameters, not resampled */
    int neuron_centric; /* the rule's coefficients belong to units: a synapse's are the mean of its two units' */
    /* Shared rules (Evolve & Merge): synapses point at rules; on when shared_rules > 0 or merge_every > 0. */
    int shared_rules;   /* rules at generation 0 (0: one per synapse), each synapse on one drawn from the run seed */
    int merge_every;    /* every this many generations, k-means merges the rules (0: never) */
    double merge_keep;  /* a merge keeps this fraction of the rules in use (rounded up) ... */
    int merge_min;      /* ... and never fewer than this many */
    double weight_decay;
    double w_min, w_max; /* bounds, active when w_min < w_max */
    double eta, oja_alpha, clip_norm; /* classic rules */
    double bcm_tau, bcm_theta0;       /* BCM: threshold time constant (steps), threshold at reset */
    double homeo_rate, homeo_target, homeo_tau; /* homeostatic scaling (rate 0: off) */
    double stp_u, stp_tau_f, stp_tau_d;         /* short-term plasticity (U 0: off; tau_f 0: no facilitation) */
    int plastic_steps; /* the network changes after each of its first this many steps only (0: every step) */
} heb_spec;

typedef struct {
    heb_spec spec;
    int ncoef;
    size_t n_syn[HEB_MAX_LAYERS];
    size_t coef_off[HEB_MAX_LAYERS]; /* start of layer l's coefficient block */
    size_t w_off[HEB_MAX_LAYERS];    /* start of layer l in the weight array */
    size_t init_off;                 /* start of evolved initial weights (coevolve_init) */
    size_t unit_off[HEB_MAX_LAYERS + 1]; /* start of layer l's units in per-unit arrays */
    size_t total_units;
    size_t total_syn;
    size_t n_coef;   /* the coefficient planes a rollout uses: init_off (+ total_syn with coevolve_init) */
    size_t n_params; /* evolved parameters: n_coef, or ncoef per unit (neuron_centric), or the shared layout */
    size_t n_rules0; /* shared rules: the rule slots of each coefficient plane (0: not shared) */
    size_t share_off; /* shared rules: the slot of the rule count, followed by each synapse's rule */
    size_t max_units;
} heb_layout;

typedef struct {
    heb_real *w;                       /* total_syn weights */
    heb_real *act[HEB_MAX_LAYERS + 1]; /* activities o0 .. oL (oL = post activity of the last layer) */
    heb_real *raw_out;                 /* output layer before tanh */
    double *scratch;                   /* max_units */
    /* Per unit (layout unit_off), reset every episode: */
    heb_real *theta;    /* BCM threshold of each post-synaptic unit */
    heb_real *avg;      /* homeostasis: running mean of |o_j| of each post-synaptic unit */
    heb_real *stp_u, *stp_x; /* short-term plasticity of each pre-synaptic unit: release, resources */
    heb_real *eff_in;   /* max_units of scratch: a layer's input times its efficacy (STP) in the forward
                         * pass, the homeostatic scaling factors in the update */
} heb_state;

/* Fails (returns -1, fills err) on bad sizes. */
int heb_layout_init(heb_layout *lay, const heb_spec *spec, char *err, size_t errlen);
int heb_state_create(heb_state *st, const heb_layout *lay);
void heb_state_free(heb_state *st);

/* The rollout's coefficients (n_coef of them) from the ES parameter vector (n_params). Per
 * synapse they are the parameters themselves; neuron-centric, synapse (l, i, j)'s coefficient c is
 * (x_c[pre unit i of layer l] + x_c[post unit j of layer l+1]) / 2, with the parameters laid out
 * per coefficient c, per unit of every layer (input layer first): x_c[unit_off[l] + i]. */
void heb_coef_from_params(const heb_layout *lay, const double *params, heb_real *coef);

/* Shared rules (net.shared_rules, net.merge_every; docs/rules.md "Shared rules"). The parameter
 * vector is
 *   for each coefficient c: n_rules0 rule slots x_c[r]            (evolved while r < the rule count)
 *   then the rule count K                                          (carried, never perturbed)
 *   then for each synapse s (global index w_off[l] + i n_post + j): its rule a[s] in [0, K)
 * so that a checkpoint, --resume, --init-from and every replica carry the assignment with the
 * coefficients; h[l][c][i][j] = x_c[a[s]]. heb_share_frozen marks what the ES must not move. */
int heb_shared(const heb_spec *spec);
/* Generation 0's rule count and assignment into params (the coefficient slots are left as they
 * are): one rule per synapse in synapse order, or each synapse on a rule drawn uniformly from
 * (run seed, RNG_RULES). */
void heb_share_init(const heb_layout *lay, uint64_t run_seed, double *params);
/* Evolve & Merge's start from a per-synapse network's coefficients (per_syn: the per-synapse
 * layout of heb_param_index, lay->n_coef of them): one rule per synapse holding that synapse's
 * coefficients, the count and the identity assignment. Needs n_rules0 == total_syn. */
void heb_share_from_synapses(const heb_layout *lay, const double *per_syn, double *params);
/* frozen[k] = 1 for the count, the assignment and the rule slots at or past the count. */
void heb_share_frozen(const heb_layout *lay, const double *params, unsigned char *frozen);
/* Whether params holds a valid count and assignment; -1 with a message otherwise. */
int heb_share_check(const heb_layout *lay, const double *params, char *err, size_t errlen);
/* The rules in use and their synapses. */
size_t heb_share_rules(const heb_layout *lay, const double *params);

/* Evolve & Merge's step: the rules in use (the count) become k clusters by weighted k-means on their
 * coefficient vectors (each rule weighted by its synapses; k-means++ seeds from (run seed,
 * RNG_RULES, 1, generation); Lloyd's iterations until no rule moves, at most HEB_MERGE_ITERS), and each
 * synapse follows its rule into its cluster. vecs[0] is the parameter vector: a cluster's rule is
 * the weighted mean of its members', which is where k-means leaves it; every other vector of n_params
 * (the optimizer's moments, PGPE's sigmas) gets the same weighted means in the same slots; slots
 * past the new count are zeroed in the parameters and left alone in the others. Clusters left empty are dropped, so the count may end
 * below k. Returns the new count, or -1 when out of memory (nothing changed); *iters and *inertia
 * (the weighted sum of squared distances to the cluster rules) say how it went. */
#define HEB_MERGE_ITERS 50
long heb_share_merge(const heb_layout *lay, size_t k, double *const *vecs, int n_vecs, uint64_t run_seed,
                     int64_t generation, int *iters, double *inertia);

/* New initial weights: sampled from rng, or copied from the coefficients with coevolve_init
 * (and for the static rule, whose coefficients are the weights). */
void heb_state_reset(heb_state *st, const heb_layout *lay, const heb_real *coef, rng_stream *rng);

/* Forward pass; action[k] = tanh(output). Returns 0, or -1 if the action is not finite. */
int heb_forward(heb_state *st, const heb_layout *lay, const double *obs, double *action);

/* Plasticity step of every synapse from the activities of the last forward pass,
 * then decay, bounds and normalisation. */
void heb_update(heb_state *st, const heb_layout *lay, const heb_real *coef);

/* One layer's rule update, exposed for tests and teaching:
 * coef points to the layer's coefficient block (ncoef arrays of n_post*n_pre); theta holds the
 * post-synaptic units' BCM thresholds (read by the BCM rule only; may be NULL otherwise). */
void heb_layer_update(const heb_spec *spec, const heb_real *coef, heb_real *w, const heb_real *pre, int n_pre,
                      const heb_real *post, int n_post, const heb_real *theta);

/* Index in the parameter vector of coefficient c of the synapse from unit i of
 * layer l to unit j of layer l + 1 (the layout above). */
size_t heb_param_index(const heb_layout *lay, int l, int c, int i, int j);

/* Squared Frobenius norm of each layer into sq_norm[l]. Returns 0, or -1 if a
 * weight is no longer finite (the network diverged). Kept out of heb_update:
 * it costs as much as the update, so rollouts call it every few steps. */
int heb_check(heb_state *st, const heb_layout *lay, double *sq_norm);

#endif
