// Replays launches recorded by the stand-in driver (DISTILL4J_STANDIN_RECORD) against the
// host-compiled kernels, in buffers of exactly the recorded sizes, and checks every output byte
// against the recording. Built plain, and with -DEMU_THREADS -fsanitize=thread / =address by
// sanitize.sh: the recorded launches are those of the Java backend tests, whose results were
// checked against the scalar Java reference, so a clean replay under a sanitizer means the same
// computations run without data races (a missing __syncthreads) and without out-of-bounds accesses.
//   usage: emu_replay [--only KERNEL_PREFIX] [--every K] RECORD_FILE
//   --only: replay just the kernels whose name starts with the prefix; --every K: replay one launch in
//   K of each kernel (the first always), the rest are read and skipped.
#include <map>

#include "kernel_table.h"

namespace {

FILE* in;

bool readBytes(void* p, size_t n) { return fread(p, 1, n, in) == n; }
uint64_t readU64() {
    uint64_t v;
    if (!readBytes(&v, 8)) {
        fprintf(stderr, "emu_replay: truncated record\n");
        exit(2);
    }
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    std::string only;
    int every = 1;
    int a = 1;
    for (; a + 1 < argc; a += 2) {
        if (strcmp(argv[a], "--only") == 0) only = argv[a + 1];
        else if (strcmp(argv[a], "--every") == 0) every = std::max(1, atoi(argv[a + 1]));
        else break;
    }
    if (a != argc - 1) {
        fprintf(stderr, "usage: emu_replay [--only KERNEL_PREFIX] [--every K] RECORD_FILE\n");
        return 2;
    }
    in = fopen(argv[a], "rb");
    if (in == nullptr) {
        perror(argv[a]);
        return 2;
    }
    std::map<std::string, int> launches, seen;
    int mismatches = 0, total = 0;
    uint64_t nameLen;
    while (fread(&nameLen, 1, 8, in) == 8) {
        std::string name(nameLen, '\0');
        readBytes(&name[0], nameLen);
        unsigned shape[6];
        readBytes(shape, sizeof shape);
        const emu::KernelEntry* e = emu::findKernel(name.c_str());
        if (e == nullptr) {
            fprintf(stderr, "emu_replay: unknown kernel %s\n", name.c_str());
            return 2;
        }
        uint64_t nargs = readU64();
        if (nargs != e->args.size()) {
            fprintf(stderr, "emu_replay: %s recorded with %llu arguments, has %zu\n", name.c_str(),
                    (unsigned long long)nargs, e->args.size());
            return 2;
        }
        struct Arg {
            uint64_t alloc = UINT64_MAX, offset = 0;
            std::vector<unsigned char> value;
            uint64_t pointerValue = 0;
        };
        std::vector<Arg> args(nargs);
        for (Arg& a : args) {
            uint64_t tag = readU64();
            if (tag == UINT64_MAX - 1) {
                a.value.resize(readU64());
                readBytes(a.value.data(), a.value.size());
            } else {
                a.alloc = tag;  // UINT64_MAX: a null pointer
                a.offset = readU64();
            }
        }
        uint64_t nallocs = readU64();
        std::vector<std::vector<unsigned char>> before(nallocs);
        std::vector<unsigned char*> buffers(nallocs);
        for (uint64_t i = 0; i < nallocs; i++) {
            before[i].resize(readU64());
            readBytes(before[i].data(), before[i].size());
            // exactly the recorded size, so AddressSanitizer's redzones sit right after the last byte
            buffers[i] = static_cast<unsigned char*>(malloc(before[i].size()));
            memcpy(buffers[i], before[i].data(), before[i].size());
        }
        bool replay = name.compare(0, only.size(), only) == 0 && seen[name]++ % every == 0;
        if (!replay) {
            for (uint64_t i = 0; i < nallocs; i++) {
                fseek(in, (long)before[i].size(), SEEK_CUR);
                free(buffers[i]);
            }
            continue;
        }
        std::vector<void*> params(nargs);
        for (uint64_t i = 0; i < nargs; i++) {
            Arg& a = args[i];
            if (!a.value.empty()) {
                params[i] = a.value.data();
            } else {
                a.pointerValue = a.alloc == UINT64_MAX ? 0 : (uint64_t)(uintptr_t)(buffers[a.alloc] + a.offset);
                params[i] = &a.pointerValue;
            }
        }
        e->launch(*e, dim3(shape[0], shape[1], shape[2]), dim3(shape[3], shape[4], shape[5]), params.data());
        for (uint64_t i = 0; i < nallocs; i++) {
            std::vector<unsigned char> after(before[i].size());
            readBytes(after.data(), after.size());
            if (memcmp(after.data(), buffers[i], after.size()) != 0) {
                if (mismatches++ < 10) {
                    fprintf(stderr, "emu_replay: launch %d (%s) buffer %llu differs from the recording\n", total,
                            name.c_str(), (unsigned long long)i);
                }
            }
            free(buffers[i]);
        }
        launches[name]++;
        total++;
    }
    for (auto& l : launches) printf("  %-22s %6d launches\n", l.first.c_str(), l.second);
    printf("emu_replay: %d launches of %zu kernels, %d mismatching buffers\n", total, launches.size(), mismatches);
    return mismatches == 0 && total > 0 ? 0 : 1;
}
