#include "env.h"

#include <errno.h>
#include <glob.h>
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

const char *env_engine_version(void)
{
    return mj_versionString(); /* the library's, not mjVERSION_HEADER: the .so loaded decides the bits */
}

int env_resolve_model(const char *path, char *out, size_t n)
{
    static const char scheme[] = "gymnasium:";
    if (strncmp(path, scheme, sizeof scheme - 1)) return snprintf(out, n, "%s", path) < (int)n ? 0 : -1;
    const char *name = path + sizeof scheme - 1, *dir = getenv("HEBES_GYM_ASSETS");
    glob_t g = {0};
    /* the project venv's Gymnasium (scripts/venv.sh), from the repository's root */
    if (!dir && glob(".venv/lib/python3*/site-packages/gymnasium/envs/mujoco/assets", 0, NULL, &g) == 0 && g.gl_pathc)
        dir = g.gl_pathv[0];
    const int ok = dir && !strchr(name, '/') && name[0] && snprintf(out, n, "%s/%s", dir, name) < (int)n;
    globfree(&g);
    if (!ok) snprintf(out, n, "%s", path); /* opening it fails with the name as given */
    return ok ? 0 : -1;
}

char *env_read_file(const char *given, char *err, size_t errlen)
{
    char path[4096];
    if (env_resolve_model(given, path, sizeof path)) {
        snprintf(err, errlen, "%s: model file cannot be read: %s", given,
                 strchr(given + 10, '/') ? "gymnasium:FILE names a file, not a path"
                                         : "no Gymnasium models found (set HEBES_GYM_ASSETS to their folder, or run "
                                           "scripts/install-deps.sh for the project venv)");
        return NULL;
    }
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

/* The body table's columns, each a switch over env.body in one place:
 * how many leading positions the observation leaves out (the Ant and the swimmer their x and y, the
 * planar bodies their x), */
static int obs_skip(env_body b)
{
    return b == ENV_BODY_ANT || b == ENV_BODY_SWIMMER || b == ENV_BODY_HUMANOID ? 2 : 1;
}

/* the bound on the observed velocities (Hopper-v5 and Walker2d-v5 clip them to +-10; 0: none), */
static double obs_qvel_clip(env_body b)
{
    return b == ENV_BODY_HOPPER || b == ENV_BODY_WALKER2D ? 10.0 : 0.0;
}

/* whether the reset's velocities are normal (the Ant, HalfCheetah) rather than uniform (the others), */
static int reset_qvel_normal(env_body b)
{
    return b == ENV_BODY_ANT || b == ENV_BODY_HALF_CHEETAH;
}

/* and the x that forward velocity and distance read: the Ant's torso xpos (as Ant-v5's
 * data.body(1).xpos), the Humanoid's centre of mass x = sum_b m_b xipos_b / sum_b m_b (Humanoid-v5's
 * mass_center), the root slide's qpos[0] for the others (as their v5 environments). */
static double body_x(const env_state *es)
{
    const mjModel *m = es->em->m;
    switch (es->em->spec.body) {
    case ENV_BODY_ANT:
        return es->d->xpos[3 * es->em->torso];
    case ENV_BODY_HUMANOID: {
        double num = 0.0, den = 0.0;
        for (int b = 0; b < m->nbody; b++) {
            num += m->body_mass[b] * es->d->xipos[3 * b];
            den += m->body_mass[b];
        }
        return num / den;
    }
    default:
        return es->d->qpos[0];
    }
}

/* The legs env.damage_leg names, per body: the joints whose motors the damage scales, hip first. A
 * leg is found by its joints rather than by its actuators' names because Gymnasium's Hopper and
 * Walker2d leave their motors unnamed. The Swimmer has no legs. */
typedef struct {
    env_body body;
    env_leg leg;
    const char *joints[ENV_LEG_MOTORS];
} leg_def;

static const leg_def leg_defs[] = {
    {ENV_BODY_ANT, ENV_LEG_FRONT_LEFT, {"hip_1", "ankle_1"}},
    {ENV_BODY_ANT, ENV_LEG_FRONT_RIGHT, {"hip_2", "ankle_2"}},
    {ENV_BODY_ANT, ENV_LEG_BACK_LEFT, {"hip_3", "ankle_3"}},
    {ENV_BODY_ANT, ENV_LEG_BACK_RIGHT, {"hip_4", "ankle_4"}},
    {ENV_BODY_HALF_CHEETAH, ENV_LEG_BACK, {"bthigh", "bshin", "bfoot"}},
    {ENV_BODY_HALF_CHEETAH, ENV_LEG_FRONT, {"fthigh", "fshin", "ffoot"}},
    {ENV_BODY_HOPPER, ENV_LEG_SINGLE, {"thigh_joint", "leg_joint", "foot_joint"}},
    {ENV_BODY_WALKER2D, ENV_LEG_RIGHT, {"thigh_joint", "leg_joint", "foot_joint"}},
    {ENV_BODY_WALKER2D, ENV_LEG_LEFT, {"thigh_left_joint", "leg_left_joint", "foot_left_joint"}},
    {ENV_BODY_HUMANOID, ENV_LEG_RIGHT, {"right_hip_x", "right_hip_z", "right_hip_y", "right_knee"}},
    {ENV_BODY_HUMANOID, ENV_LEG_LEFT, {"left_hip_x", "left_hip_z", "left_hip_y", "left_knee"}},
};
enum { N_LEG_DEFS = (int)(sizeof leg_defs / sizeof leg_defs[0]) };

/* The actuator that drives joint `name` (a joint transmission), or -1. */
static int actuator_of_joint(const mjModel *m, const char *name)
{
    int j = mj_name2id(m, mjOBJ_JOINT, name);
    for (int a = 0; j >= 0 && a < m->nu; a++)
        if (m->actuator_trntype[a] == mjTRN_JOINT && m->actuator_trnid[2 * a] == j) return a;
    return -1;
}

/* Fills em->damaged with the motors of em->spec.damage_leg, or says why the body has no such leg. */
static int find_damaged_leg(env_model *em, const char *path, char *err, size_t errlen)
{
    const env_spec *sp = &em->spec;
    em->n_damaged = 0;
    for (int j = 0; j < ENV_LEG_MOTORS; j++) em->damaged[j] = -1;
    if (sp->damage_leg == ENV_LEG_NONE) return 0;
    const leg_def *def = NULL;
    char legs[128] = "";
    for (int k = 0; k < N_LEG_DEFS; k++) {
        if (leg_defs[k].body != sp->body) continue;
        if (leg_defs[k].leg == sp->damage_leg) def = &leg_defs[k];
        size_t n = strlen(legs);
        snprintf(legs + n, sizeof legs - n, "%s%s", n ? ", " : "", env_leg_names[leg_defs[k].leg]);
    }
    if (!def) {
        snprintf(err, errlen, "%s: env.damage_leg %s is not a leg of the %s (%s%s)", path,
                 env_leg_names[sp->damage_leg], env_body_names[sp->body], legs[0] ? "its legs: " : "it has none",
                 legs);
        return -1;
    }
    for (int j = 0; j < ENV_LEG_MOTORS && def->joints[j]; j++) {
        em->damaged[j] = actuator_of_joint(em->m, def->joints[j]);
        if (em->damaged[j] < 0) {
            snprintf(err, errlen, "%s: env.damage_leg %s needs an actuator driving a joint named '%s'", path,
                     env_leg_names[sp->damage_leg], def->joints[j]);
            return -1;
        }
        em->n_damaged = j + 1;
    }
    return 0;
}

int env_model_load(env_model *em, const env_spec *spec, const char *path, const char *xml, char *err,
                   size_t errlen)
{
    memset(em, 0, sizeof *em);
    char xml_err[512] = "";
    char *file = xml ? NULL : env_read_file(path, err, errlen);
    if (!xml && !file) return -1;
    char resolved[4096];
    env_resolve_model(path, resolved, sizeof resolved); /* MuJoCo finds <include>d files next to it */
    em->m = load_text(resolved, xml ? xml : file, xml_err, sizeof xml_err);
    free(file);
    if (!em->m) {
        snprintf(err, errlen, "%s: cannot load MuJoCo model: %s", path, xml_err[0] ? xml_err : "unknown error");
        return -1;
    }
    em->spec = *spec;
    em->torso = mj_name2id(em->m, mjOBJ_BODY, "torso");
    const mjModel *m = em->m;
    const char *why = NULL;
    if (spec->body == ENV_BODY_ANT || spec->body == ENV_BODY_HUMANOID) {
        if (em->torso < 0 || m->njnt < 1 || m->jnt_type[0] != mjJNT_FREE || m->nu < 1)
            why = "not an Ant-like model (needs a body 'torso' with a free joint first, and actuators)";
        else if (spec->body == ENV_BODY_HUMANOID && (spec->contact_obs || spec->foot_contacts || spec->heading_obs))
            why = "env.contact_obs, env.foot_contacts and env.heading_obs are the Ant's (the Humanoid observes its "
                  "contact forces and orientation already)";
    } else {
        /* planar bodies: root slides x and z and a hinge (the swimmer: slides x and y, a hinge about z) */
        if (em->torso < 0 || m->njnt < 3 || m->jnt_type[0] != mjJNT_SLIDE || m->jnt_type[1] != mjJNT_SLIDE ||
            m->jnt_type[2] != mjJNT_HINGE || m->nu < 1)
            why = "not a planar Gymnasium body (needs a body 'torso', root joints slide, slide, hinge first, and "
                  "actuators)";
        else if (spec->contact_obs || spec->foot_contacts || spec->heading_obs || spec->contact_cost_weight != 0.0 ||
                 spec->contact_cost_max != 0.0)
            why = "env.contact_obs, env.foot_contacts, env.heading_obs and env.contact_cost_weight are the Ant's (set "
                  "them off for this body)";
    }
    if (why) {
        snprintf(err, errlen, "%s: env.body %s: %s", path, env_body_names[spec->body], why);
        mj_deleteModel(em->m);
        em->m = NULL;
        return -1;
    }
    em->act_dim = em->m->nu;
    if (find_damaged_leg(em, path, err, errlen) != 0) {
        mj_deleteModel(em->m);
        em->m = NULL;
        return -1;
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
    em->obs_dim = (em->m->nq - obs_skip(spec->body)) + em->m->nv + (spec->contact_obs ? 6 * (em->m->nbody - 1) : 0) +
                  (spec->foot_contacts ? ENV_FEET : 0) + (spec->heading_obs ? 2 : 0);
    if (spec->body == ENV_BODY_HUMANOID) /* cinert, cvel, qfrc_actuator but the root's, cfrc_ext: all but the world's */
        em->obs_dim += 10 * (m->nbody - 1) + 6 * (m->nbody - 1) + (m->nv - 6) + 6 * (m->nbody - 1);
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
    return s->contact_obs || s->contact_cost_weight != 0.0 || s->body == ENV_BODY_HUMANOID;
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
    const double vclip = obs_qvel_clip(es->em->spec.body);
    for (int i = obs_skip(es->em->spec.body); i < m->nq; i++) obs[k++] = d->qpos[i];
    for (int i = 0; i < m->nv; i++)
        obs[k++] = vclip > 0.0 ? (d->qvel[i] < -vclip ? -vclip : d->qvel[i] > vclip ? vclip : d->qvel[i]) : d->qvel[i];
    if (es->em->spec.contact_obs)
        for (int i = 6; i < 6 * m->nbody; i++) obs[k++] = clip1(d->cfrc_ext[i]);
    if (es->em->spec.body == ENV_BODY_HUMANOID) { /* Humanoid-v5: every body's but the world's, as MuJoCo has them */
        for (int i = 10; i < 10 * m->nbody; i++) obs[k++] = d->cinert[i];
        for (int i = 6; i < 6 * m->nbody; i++) obs[k++] = d->cvel[i];
        for (int i = 6; i < m->nv; i++) obs[k++] = d->qfrc_actuator[i];
        for (int i = 6; i < 6 * m->nbody; i++) obs[k++] = d->cfrc_ext[i];
    }
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
        k += ENV_FEET;
    }
    if (es->em->spec.heading_obs) {
        /* The torso's x axis in the world, from its quaternion q = (w, x, y, z) = qpos[3..6]:
         *   (1 - 2(y^2 + z^2), 2(xy + wz)) in the floor's plane, at yaw psi = atan2 of the two.
         * The angle from it to +x is -psi: inputs sin(-psi) = -v_y / |v|, cos(-psi) = v_x / |v|.
         * Bullet's Ant observes atan2 to a target at (1000, 0) minus its yaw, within y/1000 rad
         * of this. |v| = 0 (the torso's x axis vertical) reads as facing +x. Ratios, not atan2,
         * so tools/gym_eval.py computes the same bits in numpy. */
        const double *q = d->qpos + 3;
        const double vx = 1.0 - 2.0 * (q[2] * q[2] + q[3] * q[3]), vy = 2.0 * (q[1] * q[2] + q[0] * q[3]);
        const double r = sqrt(vx * vx + vy * vy);
        obs[k++] = r > 0.0 ? -vy / r : 0.0;
        obs[k++] = r > 0.0 ? vx / r : 1.0;
    }
}

void env_reset(env_state *es, rng_stream *rng, double *obs)
{
    const mjModel *m = es->em->m;
    mjData *d = es->d;
    double s = es->em->spec.reset_noise_scale;
    mj_resetData(m, d);
    const int normal = reset_qvel_normal(es->em->spec.body);
    for (int i = 0; i < m->nq; i++) d->qpos[i] = m->qpos0[i] + s * (2.0 * rng_uniform(rng) - 1.0);
    for (int i = 0; i < m->nv; i++) d->qvel[i] = normal ? s * rng_normal(rng) : s * (2.0 * rng_uniform(rng) - 1.0);
    mj_forward(m, d);
    /* cfrc_ext at reset: the Ant computes it (its contact observations see the reset's contacts);
     * the Humanoid leaves it as mj_resetData zeroed it, as Humanoid-v5's first observation has it */
    if (needs_contacts(&es->em->spec) && es->em->spec.body != ENV_BODY_HUMANOID) mj_rnePostConstraint(m, d);
    es->t = 0;
    es->neg_streak = 0;
    es->x0 = body_x(es);
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
    if (em->n_damaged > 0 && es->t >= sp->damage_step) {
        if (es->t == sp->damage_step) es->x_damage = d->xpos[3 * em->torso] - es->x0;
        for (int j = 0; j < em->n_damaged; j++) d->ctrl[em->damaged[j]] *= sp->damage_gear;
    }
    int warnings_before = unstable_warnings(d);
    double x_before = body_x(es);
    for (int f = 0; f < sp->frame_skip; f++) mj_step(m, d);
    if (needs_contacts(sp)) mj_rnePostConstraint(m, d);
    es->t++;
    /* MuJoCo resets the state itself on bad accelerations: the warning counters are the only trace. */
    if (unstable_warnings(d) != warnings_before || !state_finite(m, d)) return ENV_DIVERGED;

    /* dx from the torso's xpos, which MuJoCo computed at the start of the last physics step: one
     * physics step behind qpos, and what Gymnasium's Ant-v5 reads too (data.body(1).xpos), so that
     * the rewards agree to the bit (tools/gym_eval.py --check-trace) */
    double dt = m->opt.timestep * sp->frame_skip;
    double dx = body_x(es) - x_before;
    env_end unhealthy = ENV_RUNNING;
    const double z = sp->body == ENV_BODY_ANT || sp->body == ENV_BODY_HUMANOID ? d->qpos[2] : d->qpos[1];
    if (sp->body == ENV_BODY_ANT) { /* Ant-v5: z in [min, max] */
        if (z < sp->healthy_z_min) unhealthy = ENV_TOO_LOW;
        else if (z > sp->healthy_z_max) unhealthy = ENV_TOO_HIGH;
    } else if (sp->body == ENV_BODY_HUMANOID) { /* Humanoid-v5: min < z < max */
        if (!(z > sp->healthy_z_min)) unhealthy = ENV_TOO_LOW;
        else if (!(z < sp->healthy_z_max)) unhealthy = ENV_TOO_HIGH;
    } else if (sp->body == ENV_BODY_HOPPER || sp->body == ENV_BODY_WALKER2D) {
        /* Hopper-v5, Walker2d-v5: min < z < max, min < angle < max, and (Hopper) every state but x and z
         * (qpos[2:], qvel) inside (-bound, bound), all strict */
        const double a = d->qpos[2];
        if (!(z > sp->healthy_z_min)) unhealthy = ENV_TOO_LOW;
        else if (!(z < sp->healthy_z_max)) unhealthy = ENV_TOO_HIGH;
        else if (sp->healthy_angle_min < sp->healthy_angle_max && !(a > sp->healthy_angle_min && a < sp->healthy_angle_max))
            unhealthy = ENV_UNHEALTHY;
        for (int i = 2; sp->healthy_state_max > 0.0 && !unhealthy && i < m->nq + m->nv; i++) {
            const double v = i < m->nq ? d->qpos[i] : d->qvel[i - m->nq];
            if (!(v > -sp->healthy_state_max && v < sp->healthy_state_max)) unhealthy = ENV_UNHEALTHY;
        }
    } /* HalfCheetah-v5, Swimmer-v5: never unhealthy */
    int healthy = unhealthy == ENV_RUNNING;
    int clock = env_stop_clock(es);
    double contact_cost = 0.0;
    if (sp->contact_cost_weight != 0.0 && sp->body == ENV_BODY_HUMANOID) {
        /* Humanoid-v5: min(w sum cfrc_ext^2 over every body, the world's too, max) */
        for (int i = 0; i < 6 * m->nbody; i++) contact_cost += d->cfrc_ext[i] * d->cfrc_ext[i];
        contact_cost *= sp->contact_cost_weight;
        if (sp->contact_cost_max > 0.0 && contact_cost > sp->contact_cost_max) contact_cost = sp->contact_cost_max;
    } else if (sp->contact_cost_weight != 0.0) { /* Ant-v5: w sum clip(cfrc_ext, -1, 1)^2 over all but the world */
        for (int i = 6; i < 6 * m->nbody; i++) contact_cost += clip1(d->cfrc_ext[i]) * clip1(d->cfrc_ext[i]);
        contact_cost *= sp->contact_cost_weight;
    }
    /* distance: r = scale dx;  reward (the v5 environments):
     * r = scale (healthy_reward [healthy] + fwd_w dx/dt - ctrl_w sum a^2 - contact cost)
     * with the terms grouped as Gymnasium groups them: healthy + forward - control - contact for the
     * Ant (as hebes always summed it: the Ant's bits stay), (forward + healthy) - (control + contact)
     * for the other bodies (healthy 0 for HalfCheetah and Swimmer, contact 0 but for the Humanoid) */
    const double fwd = sp->forward_reward_weight * (dx / dt), alive = healthy ? sp->healthy_reward : 0.0;
    if (sp->fitness == ENV_FITNESS_DISTANCE)
        *reward = sp->fitness_scale * dx;
    else if (sp->body == ENV_BODY_ANT)
        *reward = sp->fitness_scale * (alive + fwd - sp->ctrl_cost_weight * ctrl_sq - contact_cost);
    else /* (forward + healthy) - (control + contact), Gymnasium's grouping */
        *reward = sp->fitness_scale * ((fwd + alive) - (sp->ctrl_cost_weight * ctrl_sq + contact_cost));
    es->terms[ENV_TERM_FORWARD] += fwd;
    es->terms[ENV_TERM_HEALTHY] += alive;
    es->terms[ENV_TERM_CONTROL] += sp->ctrl_cost_weight * ctrl_sq;
    es->terms[ENV_TERM_CONTACT] += contact_cost;
    observe(es, obs);
    /* the order of the ends matters when two hold at one step: unhealthy first (Ant-v5's
     * termination beats its TimeLimit's truncation at step 1000), then the early stop, then the limit */
    if (!healthy && clock > sp->unhealthy_grace) return unhealthy;
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
    return body_x(es) - es->x0;
}
