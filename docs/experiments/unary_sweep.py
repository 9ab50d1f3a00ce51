"""Issue 12's unary sweep: which change to the unary stage closes the gap on the held-out drive 0006R0?

A PyTorch replica of dpn4j's unary stage, for choosing settings on a GPU machine only (dpn4j trains
what is chosen, in Java): MobileNetV2 with batch norm folded and TF's SAME padding, DeepLab's
output-stride rule, the segmentation head of `unary.MobileNetV2` (1x1 on the 320 maps, bilinear x8)
or DeepLabV3's (`unary.DeepLabV3`: aspp0, image pooling, projection, new logits), started from the
DeepLabV3 MobileNetV2 VOC weights as dpn4j stores them (`models/voc/weights.safetensors`);
median-frequency class weights, SGD momentum 0.9 / weight decay 5e-4, poly 0.9, batch 8, random
scale 0.5-2 + crop + flip + photometric augmentation (`data.Photometric.MODERATE`). It trains on
the 367 train + val frames without 0006R0 and scores the unary alone on 0006R0's 101 frames
(mIoU of the 11 classes, one scale, no flip). Results and the commands run: docs/RESULTS.md,
"Issue 12: what the unary can reach on 0006R0, a GPU sweep".

    python3 unary_sweep.py CAMVID_ROOT models/voc/weights.safetensors OUT_DIR base,aspp16,...

CAMVID_ROOT holds train/, trainannot/, val/, valannot/ (../shared/data/camvid); ITS_SCALE=0.5
halves every variant's iterations. Each variant writes OUT_DIR/res-NAME.json.
"""
import json, math, os, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

L, IGNORE = 11, 11
NAMES = ["Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence", "Car", "Pedestrian", "Bicyclist"]
STAGES = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def same_pad(x, k, s, d):
    ke = (k - 1) * d + 1
    ph = max((math.ceil(x.shape[2] / s) - 1) * s + ke - x.shape[2], 0)
    pw = max((math.ceil(x.shape[3] / s) - 1) * s + ke - x.shape[3], 0)
    return F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))


class Conv(nn.Module):
    def __init__(self, cin, cout, k, groups=1):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(cout, cin // groups, k, k))
        self.bias = nn.Parameter(torch.zeros(cout))
        nn.init.kaiming_normal_(self.weight, mode="fan_in", nonlinearity="relu")
        self.k, self.groups = k, groups

    def forward(self, x, s=1, d=1):
        if self.k > 1:
            x = same_pad(x, self.k, s, d)
        return F.conv2d(x, self.weight, self.bias, s, 0, d, self.groups)


class Net(nn.Module):
    def __init__(self, head, os_):
        super().__init__()
        self.head, self.os = head, os_
        self.stem = Conv(3, 32, 3)
        self.blocks = nn.ModuleList()
        strides = [2]
        cin = 32
        for t, c, n, s in STAGES:
            for r in range(n):
                b = nn.Module()
                if t != 1:
                    b.expand = Conv(cin, cin * t, 1)
                b.depthwise = Conv(cin * t, cin * t, 3, groups=cin * t)
                b.project = Conv(cin * t, c, 1)
                b.res = (r > 0 and cin == c)
                self.blocks.append(b)
                strides.append(s if r == 0 else 1)
                cin = c
        self.geom = geometry(strides, os_)
        if head == "seg":
            self.seg = Conv(320, L, 1)
            nn.init.normal_(self.seg.weight, 0, 0.01)
        else:
            self.aspp0 = Conv(320, 256, 1)
            self.image_pooling = Conv(320, 256, 1)
            self.concat_projection = Conv(512, 256, 1)
            self.logits = Conv(256, L, 1)
            nn.init.normal_(self.logits.weight, 0, 0.01)

    def features(self, x):
        s, d = self.geom[0]
        h = F.relu6(self.stem(x, s, d))
        for b, (s, d) in zip(self.blocks, self.geom[1:]):
            y = F.relu6(b.expand(h)) if hasattr(b, "expand") else h
            y = F.relu6(b.depthwise(y, s, d))
            y = b.project(y)
            h = h + y if b.res else y
        return h

    def forward(self, x):
        f = self.features(x)
        H, W = x.shape[2:]
        if self.head == "seg":
            return F.interpolate(self.seg(f), size=(H, W), mode="bilinear", align_corners=False)
        g = F.relu(self.image_pooling(f.mean((2, 3), keepdim=True))).expand(-1, -1, f.shape[2], f.shape[3])
        y = F.relu(self.concat_projection(torch.cat([g, F.relu(self.aspp0(f))], 1)))
        return F.interpolate(self.logits(y), size=(H, W), mode="bilinear", align_corners=True)


def geometry(strides, os_):
    g, cur, rate = [], 1, 1
    for s in strides:
        if cur == os_:
            g.append((1, rate))
            rate *= s
        else:
            g.append((s, 1))
            cur *= s
    return g


def read_safetensors(path):
    import struct
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        head = json.loads(f.read(n))
        raw = f.read()
    out = {}
    for k, v in head.items():
        if k != "__metadata__":
            assert v["dtype"] == "F32", k
            a, b = v["data_offsets"]
            out[k] = torch.from_numpy(np.frombuffer(raw[a:b], dtype="<f4").reshape(v["shape"]).copy())
    return out


def load_backbone(net, path):
    w = read_safetensors(path)
    own = dict(net.named_parameters())
    taken = 0
    for k, v in w.items():
        if not k.startswith("unary."):
            continue
        name = k[len("unary."):]
        name = name.replace("block", "blocks.", 1) if name.startswith("block") else name
        if name.startswith("logits") or name not in own:
            continue
        own[name].data.copy_(v.float())
        taken += 1
    return taken


def read_split(root):
    import cv2
    imgs, labs, names = [], [], []
    for split in ("train", "val"):
        for f in sorted(os.listdir(os.path.join(root, split))):
            im = cv2.imread(os.path.join(root, split, f), cv2.IMREAD_COLOR)[:, :, ::-1]
            lab = cv2.imread(os.path.join(root, split + "annot", os.path.splitext(f)[0] + ".png"), cv2.IMREAD_UNCHANGED)
            imgs.append(np.ascontiguousarray(im)); labs.append(lab); names.append(f)
    return np.stack(imgs), np.stack(labs), names


def median_frequency(labs):
    count = np.zeros(L); total = np.zeros(L)
    for lab in labs:
        h = np.bincount(lab.ravel(), minlength=L + 1)[:L]
        count += h
        total += (h > 0) * lab.size
    freq = count / total
    return np.median(freq) / freq


YIQ = torch.tensor([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]], dtype=torch.float64)
RGB = torch.linalg.inv(YIQ)
LUMA = torch.tensor([0.299, 0.587, 0.114])


def photometric(x, p, g):
    """x: 3 x H x W in [0, 1] (GPU). Brightness, contrast, saturation, hue as one affine map, blur, clamp."""
    u = lambda a, b: a + (b - a) * torch.rand((), generator=g).item()
    br, co, sa, hu = u(1 - p[0], 1 + p[0]), u(1 - p[1], 1 + p[1]), u(1 - p[2], 1 + p[2]), u(-p[3], p[3])
    luma = LUMA.to(x.device)
    x = x * br
    m = (x * luma[:, None, None]).sum(0).mean()
    x = m + co * (x - m)
    grey = (x * luma[:, None, None]).sum(0, keepdim=True)
    x = grey + sa * (x - grey)
    c, s = math.cos(2 * math.pi * hu), math.sin(2 * math.pi * hu)
    R = torch.tensor([[1, 0, 0], [0, c, -s], [0, s, c]], dtype=torch.float64)
    M = (RGB @ R @ YIQ).float().to(x.device)
    x = torch.einsum("ij,jhw->ihw", M, x)
    blur_on, sigma = torch.rand((), generator=g).item() < 0.5, u(0, p[4])
    if blur_on and sigma >= 0.3:
        r = math.ceil(3 * sigma)
        k = torch.exp(-torch.arange(-r, r + 1, dtype=torch.float32) ** 2 / (2 * sigma * sigma))
        k = (k / k.sum()).to(x.device)
        y = F.pad(x[None], (r, r, 0, 0), mode="replicate")
        y = F.conv2d(y, k.view(1, 1, 1, -1).expand(3, 1, 1, -1), groups=3)
        y = F.pad(y, (0, 0, r, r), mode="replicate")
        x = F.conv2d(y, k.view(1, 1, -1, 1).expand(3, 1, -1, 1), groups=3)[0]
    return x.clamp(0, 1)


def sample(img, lab, cfg, g):
    """One augmented pair: uint8 3xHxW, uint8 HxW on the GPU -> normalised float, long labels."""
    x = img.float() / 255
    if cfg["photo"]:
        x = photometric(x, cfg["photo"], g)
    s = 0.5 + 1.5 * torch.rand((), generator=g).item()
    H, W = lab.shape
    h, w = max(1, round(H * s)), max(1, round(W * s))
    ch, cw = cfg["crop"]
    y0 = int(torch.randint(0, max(0, h - ch) + 1, (), generator=g))
    x0 = int(torch.randint(0, max(0, w - cw) + 1, (), generator=g))
    flip = torch.rand((), generator=g).item() < 0.5
    x = F.interpolate(x[None], size=(h, w), mode="bilinear", align_corners=False)[0]
    y = F.interpolate(lab[None, None].float(), size=(h, w), mode="nearest-exact")[0, 0].long()
    x = (x * 255 - 128) / 128
    x = x[:, y0:y0 + ch, x0:x0 + cw]
    y = y[y0:y0 + ch, x0:x0 + cw]
    x = F.pad(x, (0, cw - x.shape[2], 0, ch - x.shape[1]))
    y = F.pad(y, (0, cw - y.shape[1], 0, ch - y.shape[0]), value=IGNORE)
    if flip:
        x, y = x.flip(-1), y.flip(-1)
    return x, y


@torch.no_grad()
def evaluate(net, imgs, labs):
    net.eval()
    conf = torch.zeros(L, L, dtype=torch.long, device=imgs.device)
    for i in range(0, len(imgs), 16):
        x = (imgs[i:i + 16].float() - 128) / 128
        pred = net(x).argmax(1)
        y = labs[i:i + 16].long()
        k = y != IGNORE
        conf += torch.bincount(y[k] * L + pred[k], minlength=L * L).view(L, L)
    net.train()
    conf = conf.double()
    tp = conf.diag()
    iou = tp / (conf.sum(0) + conf.sum(1) - tp)
    return {"mIoU": 100 * iou.mean().item(), "pixelAcc": 100 * (tp.sum() / conf.sum()).item(),
            "meanAcc": 100 * (tp / conf.sum(1)).mean().item(),
            "perClass": {n: round(100 * v, 2) for n, v in zip(NAMES, iou.tolist())}}


def run(cfg, data, init, out, dev):
    torch.manual_seed(cfg.get("seed", 1))
    g = torch.Generator().manual_seed(cfg.get("seed", 1))
    imgs, labs, names = data
    hold = np.array([n.startswith("0006R0") for n in names])
    tr_i, tr_l = imgs[~hold], labs[~hold]
    cw = torch.tensor(median_frequency(tr_l) if cfg["cw"] else np.ones(L), dtype=torch.float32, device=dev)
    ti = torch.from_numpy(tr_i).permute(0, 3, 1, 2).contiguous().to(dev)
    tl = torch.from_numpy(tr_l).to(dev)
    hi = torch.from_numpy(imgs[hold]).permute(0, 3, 1, 2).contiguous().to(dev)
    hl = torch.from_numpy(labs[hold]).to(dev)
    net = Net(cfg["head"], cfg["os"]).to(dev)
    taken = load_backbone(net, init)
    opt = torch.optim.SGD(net.parameters(), lr=cfg["lr"], momentum=0.9, weight_decay=5e-4)
    its, bs = cfg["its"], cfg.get("batch", 8)
    n = len(ti)
    t0 = time.time()
    perm, pos, losses, curve = torch.randperm(n, generator=g), 0, [], []
    for it in range(its):
        lr = cfg["lr"] * (1 - it / its) ** 0.9
        for pg in opt.param_groups:
            pg["lr"] = lr
        xs, ys = [], []
        for _ in range(bs):
            if pos == n:
                perm, pos = torch.randperm(n, generator=g), 0
            j = perm[pos].item(); pos += 1
            x, y = sample(ti[j], tl[j], cfg, g)
            xs.append(x); ys.append(y)
        logits = net(torch.stack(xs))
        loss = F.cross_entropy(logits, torch.stack(ys), weight=cw, ignore_index=IGNORE)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if not math.isfinite(losses[-1]):
            raise SystemExit(cfg["name"] + ": loss not finite at " + str(it))
        if (it + 1) % cfg.get("evalEvery", 10 ** 9) == 0 and it + 1 < its:
            curve.append({"it": it + 1, "mIoU": round(evaluate(net, hi, hl)["mIoU"], 2)})
        if (it + 1) % 500 == 0:
            print(f"{cfg['name']} it {it + 1}/{its} loss {np.mean(losses[-100:]):.4f} {time.time() - t0:.0f}s", flush=True)
    res = evaluate(net, hi, hl)
    res.update(name=cfg["name"], cfg=cfg, seconds=round(time.time() - t0), params_loaded=taken,
               train_frames=int(n), held_frames=int(hold.sum()), final_loss=float(np.mean(losses[-100:])), curve=curve)
    with open(os.path.join(out, "res-" + cfg["name"] + ".json"), "w") as f:
        json.dump(res, f, indent=1)
    print(f"RESULT {cfg['name']} mIoU {res['mIoU']:.2f} ({res['seconds']} s) {res['perClass']}", flush=True)


if __name__ == "__main__":
    root, init, out, which = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    scale = float(os.environ.get("ITS_SCALE", "1"))
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    photo = [0.3, 0.3, 0.3, 0.02, 1.0]
    base = dict(head="seg", os=8, crop=[240, 320], lr=0.002, cw=True, photo=photo, its=4600)
    V = {
        "base": dict(evalEvery=1150),
        "aspp16": dict(head="aspp", os=16),
        "aspp8": dict(head="aspp", os=8),
        "base-lr10": dict(lr=0.02),
        "full": dict(crop=[360, 480]),
        "aspp16-lr10": dict(head="aspp", os=16, lr=0.02),
        "aspp16-full": dict(head="aspp", os=16, crop=[360, 480]),
        "base-200ep": dict(its=9200),
        "aspp16-lr5": dict(head="aspp", os=16, lr=0.01),
        "base-lr5": dict(lr=0.01),
        "nocw": dict(cw=False),
        "lr2.5": dict(lr=0.005),
        "nophoto": dict(photo=None),
        "aspp8-full": dict(head="aspp", os=8, crop=[360, 480]),
        "aspp16-full-lr5": dict(head="aspp", os=16, crop=[360, 480], lr=0.01),
    }
    data = read_split(root)
    for name in which.split(","):
        cfg = dict(base, **V[name], name=name)
        cfg["its"] = max(2, int(cfg["its"] * scale))
        run(cfg, data, init, out, dev)
