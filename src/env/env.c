#include "env.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void quiet(const char *msg)
{
    (void)msg;
}

void env_mujoco_handlers(void (*fatal)(const char *msg))
{
    mju_user_error = fatal;
    mju_user_warning = quiet;
}

char *env_read_file(const char *path, char *err, size_t errlen)
{
    /* Checked here, before MuJoCo sees the text: a folder reads as a 2^63-byte file, and an empty
     * file makes MuJoCo's virtual file system fail without naming it. */
    FILE *f = fopen(path, "rb");
    struct stat st;
    const char *why = NULL;
    if (!f) why = strerror(errno);
    else if (fstat(fileno(f), &st) != 0) why = strerror(errno);
    else if (!S_ISREG(st.st_mode)) why = S_ISDIR(st.st_mode) ? "a folder, not a model file" : "not a regular file";
    else if (st.st_size == 0) why = "empty (a failed copy or a full disk?)";
    else if (st.st_size > ENV_MAX_MODEL_BYTES) why = "larger than 64 MiB: not an MJCF model";
    char *text = why ? NULL : malloc((size_t)st.st_size + 1);
    if (!why && !text) why = "out of memory";
    if (text && fread(text, 1, (size_t)st.st_size, f) != (size_t)st.st_size) why = "read error";
    if (f) fclose(f);
    if (why) {
        snprintf(err, errlen, "%s: model file cannot be read: %s", path, why);
        free(text);
        return NULL;
    }
    text[st.st_size] = 0;
    return text;
}

/* MuJoCo parses text through its virtual file system (a 2 MB table: on the heap), which holds
 * files by name without their folder. The text goes in under path's file name and is loaded as
 * path, so that the model's <include>d files are still found next to it on disk. */
static mjModel *load_text(const char *path, const char *xml, char *xml_err, int errlen)
{
    if (!xml[0]) {
        snprintf(xml_err, (size_t)errlen, "the model text is empty");
        return NULL;
    }
    mjVFS *vfs = malloc(sizeof *vfs);
    if (!vfs) return NULL;
    mj_defaultVFS(vfs);
    const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
    const int len = (int)strlen(xml);
    mjModel *m = NULL;
#if mjVERSION_HEADER >= 300
    /* MuJoCo 3 and later copy a buffer into the file system in one call. */
    if (mj_addBufferVFS(vfs, name, xml, len) == 0) m = mj_loadXML(path, vfs, xml_err, errlen);
#else
    if (mj_makeEmptyFileVFS(vfs, name, len) == 0) {
        memcpy(vfs->filedata[mj_findFileVFS(vfs, name)], xml, (size_t)len);
        m = mj_loadXML(path, vfs, xml_err, errlen);
    }
#endif
    mj_deleteVFS(vfs);
    free(vfs);
    return m;
}

int env_model_load(env_model *em, const env_spec *spec, const char *path, const char *xml, char *err,
                   size_t errlen)
{
    memset(em, 0, sizeof *em);
    char xml_err[512] = "";
    char *file = xml ? NULL : env_read_file(path, err, errlen);
    if (!xml && !file) return -1;
    em->m = load_text(path, xml ? xml : file, xml_err, sizeof xml_err);
    free(file);
    if (!em->m) {
        snprintf(err, errlen, "%s: cannot load MuJoCo model: %s", path, xml_err[0] ? xml_err : "unknown error");
        return -1;
    }
    em->spec = *spec;
    em->torso = mj_name2id(em->m, mjOBJ_BODY, "torso");
    if (em->torso < 0 || em->m->njnt < 1 || em->m->jnt_type[0] != mjJNT_FREE || em->m->nu < 1) {
        snprintf(err, errlen, "%s: not an Ant-like model (needs a body 'torso' with a free joint first, and actuators)",
                 path);
        mj_deleteModel(em->m);
        em->m = NULL;
        return -1;
    }
    em->act_dim = em->m->nu;
    em->damaged[0] = em->damaged[1] = -1;
    if (spec->damage_leg != ENV_LEG_NONE) {
        /* legs are numbered in the actuator names: front left is hip_1 and ankle_1 */
        char name[16];
        for (int j = 0; j < 2; j++) {
            snprintf(name, sizeof name, "%s_%d", j ? "ankle" : "hip", (int)spec->damage_leg);
            em->damaged[j] = mj_name2id(em->m, mjOBJ_ACTUATOR, name);
            if (em->damaged[j] < 0) {
                snprintf(err, errlen, "%s: env.damage_leg %s needs an actuator named '%s'", path,
                         env_leg_names[spec->damage_leg], name);
                mj_deleteModel(em->m);
                em->m = NULL;
                return -1;
            }
        }
    }
    if (spec->foot_contacts) {
        /* A foot is whatever body the ankle joint moves: ours and Gymnasium's name bodies differently. */
        for (int n = 0; n < ENV_FEET; n++) {
            char name[16];
            snprintf(name, sizeof name, "ankle_%d", n + 1);
            const int j = mj_name2id(em->m, mjOBJ_JOINT, name);
            if (j < 0) {
                snprintf(err, errlen, "%s: env.foot_contacts needs a joint named '%s'", path, name);
                mj_deleteModel(em->m);
                em->m = NULL;
                return -1;
            }
            em->foot[n] = em->m->jnt_bodyid[j];
        }
    }
    em->obs_dim = (em->m->nq - 2) + em->m->nv + (spec->contact_obs ? 6 * (em->m->nbody - 1) : 0) +
                  (spec->foot_contacts ? ENV_FEET : 0);
    return 0;
}

void env_model_free(env_model *em)
{
    if (em->m) mj_deleteModel(em->m);
    memset(em, 0, sizeof *em);
}

int env_state_create(env_state *es, const env_model *em)
{
    memset(es, 0, sizeof *es);
    es->em = em;
    es->d = mj_makeData(em->m);
    return es->d ? 0 : -1;
}

void env_state_free(env_state *es)
{
    if (es->d) mj_deleteData(es->d);
    memset(es, 0, sizeof *es);
}

static int needs_contacts(const env_spec *s)
{
    return s->contact_obs || s->contact_cost_weight != 0.0;
}

static double clip1(double v)
{
    return v < -1.0 ? -1.0 : v > 1.0 ? 1.0 : v;
}

/* A contact's two geoms: MuJoCo 3 made them an array (geom1 and geom2 are deprecated). */
#if mjVERSION_HEADER >= 300
#define CONTACT_GEOM(con, i) ((con).geom[i])
#else
#define CONTACT_GEOM(con, i) ((i) ? (con).geom2 : (con).geom1)
#endif

static void observe(const env_state *es, double *obs)
{
    const mjModel *m = es->em->m;
    const mjData *d = es->d;
    int k = 0;
    for (int i = 2; i < m->nq; i++) obs[k++] = d->qpos[i];
    for (int i = 0; i < m->nv; i++) obs[k++] = d->qvel[i];
    if (es->em->spec.contact_obs)
        for (int i = 6; i < 6 * m->nbody; i++) obs[k++] = clip1(d->cfrc_ext[i]);
    if (es->em->spec.foot_contacts) {
        /* foot n touches: MuJoCo lists a contact between a geom of its body and one of the world's
         * (the floor). The contacts are those of the last physics step's collision pass. */
        double *feet = obs + k;
        for (int n = 0; n < ENV_FEET; n++) feet[n] = 0.0;
        for (int c = 0; c < d->ncon; c++) {
            const int b1 = m->geom_bodyid[CONTACT_GEOM(d->contact[c], 0)];
            const int b2 = m->geom_bodyid[CONTACT_GEOM(d->contact[c], 1)];
            if (b1 != 0 && b2 != 0) continue;
            for (int n = 0; n < ENV_FEET; n++)
                if (b1 == es->em->foot[n] || b2 == es->em->foot[n]) feet[n] = 1.0;
        }
    }
}

void env_reset(env_state *es, rng_stream *rng, double *obs)
{
    const mjModel *m = es->em->m;
    mjData *d = es->d;
    double s = es->em->spec.reset_noise_scale;
    mj_resetData(m, d);
    for (int i = 0; i < m->nq; i++) d->qpos[i] = m->qpos0[i] + s * (2.0 * rng_uniform(rng) - 1.0);
    for (int i = 0; i < m->nv; i++) d->qvel[i] = s * rng_normal(rng);
    mj_forward(m, d);
    if (needs_contacts(&es->em->spec)) mj_rnePostConstraint(m, d);
    es->t = 0;
    es->neg_streak = 0;
    es->x0 = d->xpos[3 * es->em->torso];
    memset(es->terms, 0, sizeof es->terms);
    es->x_damage = NAN;
    observe(es, obs);
}

static int state_finite(const mjModel *m, const mjData *d)
{
    for (int i = 0; i < m->nq; i++)
        if (!isfinite(d->qpos[i])) return 0;
    for (int i = 0; i < m->nv; i++)
        if (!isfinite(d->qvel[i])) return 0;
    return 1;
}

static int unstable_warnings(const mjData *d)
{
    return d->warning[mjWARN_BADQPOS].number + d->warning[mjWARN_BADQVEL].number +
           d->warning[mjWARN_BADQACC].number + d->warning[mjWARN_BADCTRL].number;
}

env_end env_step(env_state *es, const double *action, double *obs, double *reward)
{
    const env_model *em = es->em;
    const env_spec *sp = &em->spec;
    const mjModel *m = em->m;
    mjData *d = es->d;
    double ctrl_sq = 0.0;
    *reward = 0.0;
    for (int k = 0; k < em->act_dim; k++) {
        if (!isfinite(action[k])) return ENV_DIVERGED;
        /* The policy's tanh keeps actions in range; random or external actions are clipped. */
        double a = action[k] < -1.0 ? -1.0 : action[k] > 1.0 ? 1.0 : action[k];
        d->ctrl[k] = a;
        ctrl_sq += a * a;
    }
    /* The damaged leg's motors are scaled after the action is taken: the policy pays the control
     * cost of what it asked for, as with a motor that fails. */
    if (em->damaged[0] >= 0 && es->t >= sp->damage_step) {
        if (es->t == sp->damage_step) es->x_damage = d->xpos[3 * em->torso] - es->x0;
        for (int j = 0; j < 2; j++) d->ctrl[em->damaged[j]] *= sp->damage_gear;
    }
    int warnings_before = unstable_warnings(d);
    double x_before = d->xpos[3 * em->torso];
    for (int f = 0; f < sp->frame_skip; f++) mj_step(m, d);
    if (needs_contacts(sp)) mj_rnePostConstraint(m, d);
    es->t++;
    /* MuJoCo resets the state itself on bad accelerations: the warning counters are the only trace. */
    if (unstable_warnings(d) != warnings_before || !state_finite(m, d)) return ENV_DIVERGED;

    /* dx from the torso's xpos, which MuJoCo computed at the start of the last physics step: one
     * physics step behind qpos, and what Gymnasium's Ant-v5 reads too (data.body(1).xpos), so that
     * the rewards agree to the bit (tools/gym_eval.py --check-trace) */
    double dt = m->opt.timestep * sp->frame_skip;
    double dx = d->xpos[3 * em->torso] - x_before;
    double z = d->qpos[2];
    int healthy = z >= sp->healthy_z_min && z <= sp->healthy_z_max;
    int clock = env_stop_clock(es);
    double contact_cost = 0.0;
    if (sp->contact_cost_weight != 0.0) {
        for (int i = 6; i < 6 * m->nbody; i++) contact_cost += clip1(d->cfrc_ext[i]) * clip1(d->cfrc_ext[i]);
        contact_cost *= sp->contact_cost_weight;
    }
    /* distance: r = scale dx;  reward (Ant-v5):
     * r = scale (healthy_reward [healthy] + dx/dt - ctrl_w sum a^2 - contact_w sum clip(cfrc_ext, -1, 1)^2) */
    if (sp->fitness == ENV_FITNESS_DISTANCE)
        *reward = sp->fitness_scale * dx;
    else
        *reward = sp->fitness_scale *
                  ((healthy ? sp->healthy_reward : 0.0) + dx / dt - sp->ctrl_cost_weight * ctrl_sq - contact_cost);
    es->terms[ENV_TERM_FORWARD] += dx / dt;
    es->terms[ENV_TERM_HEALTHY] += healthy ? sp->healthy_reward : 0.0;
    es->terms[ENV_TERM_CONTROL] += sp->ctrl_cost_weight * ctrl_sq;
    es->terms[ENV_TERM_CONTACT] += contact_cost;
    observe(es, obs);
    /* the order of the ends matters when two hold at one step: unhealthy first (Ant-v5's
     * termination beats its TimeLimit's truncation at step 1000), then the early stop, then the limit */
    if (!healthy && clock > sp->unhealthy_grace) return z < sp->healthy_z_min ? ENV_TOO_LOW : ENV_TOO_HIGH;
    if (sp->early_stop && clock > sp->early_stop_after) {
        es->neg_streak = *reward < 0.0 ? es->neg_streak + 1 : 0;
        /* The notebook stops when its counter exceeds the patience: one negative more. */
        if (es->neg_streak >= sp->early_stop_patience + sp->notebook_counting) return ENV_EARLY_STOP;
    }
    if (es->t >= sp->max_steps) return ENV_TIME_LIMIT;
    return ENV_RUNNING;
}

int env_stop_clock(const env_state *es)
{
    return es->t - es->em->spec.notebook_counting;
}

double env_distance(const env_state *es)
{
    return es->d->xpos[3 * es->em->torso] - es->x0;
}
