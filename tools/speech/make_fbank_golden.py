#!/usr/bin/env python3
"""Golden log-Mel filterbank values for distill4j's Java Fbank, computed independently with numpy.

Writes two small files into examples/src/test/resources/distill4j/examples/speech/:
  fbank_golden_signal.wav  0.25 s at 16 kHz, 16-bit: 50 ms of digital silence (tests the log floor), then
                           a linear chirp 100 Hz -> 7 kHz plus tones at 440 Hz and 3 kHz
  fbank_golden.txt         one line per frame, 40 log-Mel values (%.9e), after a header line

The definition (same as the Javadoc of distill4j.examples.speech.Fbank): 25 ms windows every 10 ms, no
padding; per frame: scale by 1/32768, remove the mean, pre-emphasis 0.97 (first sample against itself),
Hamming window, 512-point rfft, power, 40 triangular HTK-Mel filters 20-8000 Hz, log(max(e, 1e-10)).
Run: python3 tools/speech/make_fbank_golden.py   (numpy only)
"""
import os
import wave

import numpy as np

SR, WIN, HOP, NFFT, NMEL = 16000, 400, 160, 512, 40
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "src", "test", "resources",
                   "distill4j", "examples", "speech")


def signal():
    n = SR // 4
    t = np.arange(n) / SR
    f0, f1, dur = 100.0, 7000.0, n / SR
    chirp = np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * dur)))
    x = 0.4 * chirp + 0.2 * np.sin(2 * np.pi * 440 * t) + 0.1 * np.sin(2 * np.pi * 3000 * t)
    x[: SR // 20] = 0.0
    return np.round(x * 32767 * 0.8).astype(np.int16)


def hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + f / 700.0)


def fbank(samples):
    x = samples.astype(np.float64) / 32768.0
    frames = 1 + (len(x) - WIN) // HOP
    idx = np.arange(WIN)[None, :] + HOP * np.arange(frames)[:, None]
    f = x[idx]
    f = f - f.mean(axis=1, keepdims=True)
    prev = np.concatenate([f[:, :1], f[:, :-1]], axis=1)
    f = (f - 0.97 * prev) * np.hamming(WIN)[None, :]
    power = np.abs(np.fft.rfft(f, n=NFFT, axis=1)) ** 2
    edges = np.linspace(hz_to_mel(20.0), hz_to_mel(8000.0), NMEL + 2)
    bins = hz_to_mel(np.arange(NFFT // 2 + 1) * SR / NFFT)
    lo, mid, hi = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    up = (bins[None, :] - lo) / (mid - lo)
    down = (hi - bins[None, :]) / (hi - mid)
    weights = np.where((bins > lo) & (bins <= mid), up, np.where((bins > mid) & (bins < hi), down, 0.0))
    return np.log(np.maximum(power @ weights.T, 1e-10))


def main():
    os.makedirs(OUT, exist_ok=True)
    s = signal()
    with wave.open(os.path.join(OUT, "fbank_golden_signal.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(s.tobytes())
    feats = fbank(s)
    with open(os.path.join(OUT, "fbank_golden.txt"), "w") as out:
        out.write("# numpy %s: %d frames x %d log-Mel, tools/speech/make_fbank_golden.py\n"
                  % (np.__version__, feats.shape[0], feats.shape[1]))
        for row in feats:
            out.write(" ".join("%.9e" % v for v in row) + "\n")
    print("wrote", feats.shape, "to", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
