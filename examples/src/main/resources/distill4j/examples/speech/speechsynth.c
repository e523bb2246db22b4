/*
 * speechsynth: synthesises sentences with flite's statistical (clustergen) voices and writes, for each,
 * the wav and the HMM-state segmentation flite used to make it.
 *
 * Built by distill4j (SpeechCorpus) with gcc into the corpus cache:
 *   gcc -O2 -o speechsynth speechsynth.c -I/usr/include/flite -lflite_cmu_us_awb -lflite_cmu_us_rms \
 *       -lflite_cmu_us_slt -lflite_usenglish -lflite_cmulex -lflite -lm
 *
 * stdin, one job per line, tab separated:  voice  stretch  seed  wav_path  lab_path  text
 *   voice    awb | rms | slt
 *   stretch  flite's duration_stretch (1 = the voice's own durations); applied inside flite, so the
 *            state timings below are the ones the audio was generated from
 *   seed     srand() before synthesis (flite's excitation noise uses rand(); this makes runs repeatable)
 * stdout, one line per job:  ok <num_samples> <sample_rate> <num_states>   or   error <message>
 * lab file, one line per HMM state, in order:  <end seconds> <state name> <phone>
 *   from the utterance's "HMMstate" relation (made by clustergen's cg_make_hmmstates and timed by
 *   cg_state_duration). State names ("aa_1", "pau_141", ...) come from the voice's phone_states table,
 *   which is identical for awb, rms and slt in flite 2.2.
 */
#include <flite.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cst_voice *register_cmu_us_awb(const char *voxdir);
cst_voice *register_cmu_us_rms(const char *voxdir);
cst_voice *register_cmu_us_slt(const char *voxdir);

static cst_voice *voices[3];
static const char *names[3] = {"awb", "rms", "slt"};

static cst_voice *voice(const char *name) {
    for (int i = 0; i < 3; i++) {
        if (strcmp(name, names[i]) != 0) continue;
        if (!voices[i]) {
            voices[i] = i == 0 ? register_cmu_us_awb(NULL) : i == 1 ? register_cmu_us_rms(NULL) : register_cmu_us_slt(NULL);
        }
        return voices[i];
    }
    return NULL;
}

int main(void) {
    static char line[65536];
    flite_init();
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strlen(line);
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (len == 0) continue;
        char *field[6];
        int n = 0;
        char *p = line;
        while (n < 5) {
            char *tab = strchr(p, '\t');
            if (!tab) break;
            *tab = 0;
            field[n++] = p;
            p = tab + 1;
        }
        field[n++] = p;
        if (n != 6) { printf("error expected 6 tab-separated fields, got %d\n", n); fflush(stdout); continue; }
        cst_voice *v = voice(field[0]);
        if (!v) { printf("error unknown voice %s\n", field[0]); fflush(stdout); continue; }
        feat_set_float(v->features, "duration_stretch", (float) atof(field[1]));
        srand((unsigned) strtoul(field[2], NULL, 10));
        cst_utterance *u = flite_synth_text(field[5], v);
        cst_wave *w = u ? utt_wave(u) : NULL;
        cst_relation *states = u ? utt_relation(u, "HMMstate") : NULL;
        if (!w || !states) {
            printf("error %s\n", !w ? "no wave" : "no HMMstate relation");
            fflush(stdout);
            if (u) delete_utterance(u);
            continue;
        }
        if (cst_wave_save_riff(w, field[3]) != CST_OK_FORMAT) {
            printf("error cannot write %s\n", field[3]); fflush(stdout); delete_utterance(u); continue;
        }
        FILE *lab = fopen(field[4], "w");
        if (!lab) { printf("error cannot write %s\n", field[4]); fflush(stdout); delete_utterance(u); continue; }
        int count = 0;
        for (cst_item *s = relation_head(states); s; s = item_next(s), count++) {
            fprintf(lab, "%.6f %s %s\n", item_feat_float(s, "end"), item_feat_string(s, "name"),
                    ffeature_string(s, "R:segstate.parent.name"));
        }
        fclose(lab);
        printf("ok %d %d %d\n", cst_wave_num_samples(w), cst_wave_sample_rate(w), count);
        fflush(stdout);
        delete_utterance(u);
    }
    return 0;
}
