"""Write this attempt's hidden weight files into $KAIZEN_GEN, chosen by $KAIZEN_SEED.

- model.json: kernels of several sizes and spreads, a bias, one tensor with an outlier, a
  ReLU-like tensor (all >= 0), an all-negative one, and some JSON integers
- zeros.json: an all-zero tensor next to an ordinary one
- ties.json: tensors whose scale is a power of two, so that v / scale lands exactly on halves
  (for sym-int8, and for both asymmetric schemes)
- calib.json: a tensor with values outside the calibration range in cases.json
- bad_*.json: files quantize.py must refuse with exit status 2
- cases.json: the calibration range and the fit.py cases (no expected answers)
"""
import json
import os
import random

rng = random.Random(int(os.environ.get("KAIZEN_SEED", "1")))
out = os.environ.get("KAIZEN_GEN", ".kaizen/gen")
os.makedirs(out, exist_ok=True)


def write(name, doc):
    with open(os.path.join(out, name), "w") as f:
        json.dump(doc, f)  # one line: nothing in it can match feedback text


def gauss(n, sd):
    return [round(rng.gauss(0, sd), rng.choice([3, 4, 5, 6])) for _ in range(n)]


layers = rng.sample(["conv1", "conv2", "block3", "proj", "attn", "mlp", "head", "embed"], 4)
tensors = {
    f"{layers[0]}/kernel": gauss(rng.randint(24, 64), rng.uniform(0.02, 0.3)),
    f"{layers[0]}/bias": gauss(rng.randint(4, 12), rng.uniform(0.001, 0.02)),
    f"{layers[1]}/kernel": gauss(rng.randint(16, 48), rng.uniform(0.05, 0.5)),
    f"{layers[2]}/relu": [max(0.0, v) for v in gauss(rng.randint(10, 30), rng.uniform(0.5, 3.0))],
    f"{layers[3]}/negative": [-abs(v) - 0.01 for v in gauss(rng.randint(6, 20), rng.uniform(0.1, 1.0))],
}
outlier = gauss(rng.randint(20, 40), rng.uniform(0.01, 0.1))
outlier[rng.randrange(len(outlier))] = rng.choice([-1, 1]) * rng.uniform(2.0, 6.0)
tensors[f"{layers[1]}/outlier"] = outlier
tensors[f"{layers[0]}/kernel"][rng.randrange(5)] = 0  # JSON integers are numbers too
tensors[f"{layers[2]}/relu"][0] = 1
write("model.json", {"model": f"{rng.choice(['crack', 'bird', 'wake'])}-detector", "tensors": tensors})
write("zeros.json", {"tensors": {"unused/bias": [0.0] * rng.randint(3, 8), "used/bias": gauss(5, 0.01)}})


def tie_tensor(symmetric):
    """Values on exact halves of a power-of-two scale s, with the range chosen to give scale s."""
    s = 2.0 ** -rng.randint(4, 9)
    if symmetric:
        ends = [127 * s, -rng.randint(20, 126) * s]     # max |v| = 127 s, so scale = s exactly
        ks = range(-126, 126)
    else:
        a = rng.randint(20, 235)                          # lo = -a s, hi = (255 - a) s: scale = s
        ends = [-a * s, (255 - a) * s]
        ks = range(-a, 254 - a)
    halves = [(k + 0.5) * s for k in rng.sample(ks, 12)]
    halves += [0.5 * s, -0.5 * s, 1.5 * s, -1.5 * s]       # both signs, always
    values = ends + halves
    rng.shuffle(values)
    return values


write("ties.json", {"tensors": {"sym/halves": tie_tensor(True)}})
write("ties_asym.json", {"tensors": {"asym/halves": tie_tensor(False), "asym/more": tie_tensor(False)}})

lo = -round(rng.uniform(0.5, 1.5), 2)
hi = round(rng.uniform(1.0, 3.0), 2)
calib = [round(rng.uniform(lo * 2, hi * 2), 4) for _ in range(rng.randint(20, 40))]
calib += [lo * 3, hi * 3, 0.0]
write("calib.json", {"tensors": {"activations": calib, "small": [round(lo / 4, 3), round(hi / 4, 3)]}})

write("bad_text.json", {"tensors": {"w": [0.1, "0.2", 0.3]}})
write("bad_bool.json", {"tensors": {"w": [0.1, True, 0.3]}})
write("bad_empty.json", {"tensors": {"w": [], "v": [0.5]}})
write("bad_shape.json", {"weights": [0.1, 0.2]})
with open(os.path.join(out, "bad_nan.json"), "w") as f:
    f.write('{"tensors": {"w": [0.25, NaN, -0.5]}}')  # Python's json reads NaN; it is not finite
with open(os.path.join(out, "bad_syntax.json"), "w") as f:
    f.write('{"tensors": {"w": [0.25, -0.5,]}}')

fits = []
for _ in range(4):
    device = rng.choice([4, 8, 16, 32, 64, 256, 512])
    reserve = rng.choice([0, 0, 1, 2, device / 4])
    params = rng.randint(1, int(device * 400_000))
    fits.append([params, device, reserve])
device = rng.choice([8, 16, 32])
reserve = rng.choice([0, 2, 4])
fits.append([(device - reserve) * 250_000, device, reserve])      # float32 fits exactly
fits.append([(device - reserve) * 250_000 + 1, device, reserve])  # one parameter too many
fits.append([(device - reserve) * 1_000_000, device, reserve])    # int8 fits exactly
fits.append([(device - reserve) * 1_000_000 + 1, device, reserve])  # nothing fits
with open(os.path.join(out, "cases.json"), "w") as f:
    json.dump({"range": [lo, hi], "fits": fits}, f)
