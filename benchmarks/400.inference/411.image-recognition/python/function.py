"""411.image-recognition: classify an image with a pretrained ResNet-50 (PyTorch, CPU).

As in SeBS, the weights are a state dict (e.g. resnet50-19c8e357.pth, torchvision's ImageNet weights)
stored in the model prefix of the benchmarks bucket; the first invocation of an instance downloads and
loads them, later ones reuse the model. The network is built here with plain torch.nn, with the same
architecture and parameter names as torchvision.models.resnet50 (so torchvision's weight files load
as they are), which spares the dependency on torchvision and its CUDA-built extension.

The image is preprocessed as for torchvision's ImageNet models: shorter side resized to 256, centre crop
224 x 224, scaled to [0, 1] and normalised per channel. measurement values are microseconds.
"""

import os
import shutil
import tempfile
import time

import torch
from PIL import Image
from torch import nn

from . import storage

client = storage.storage.get_instance()

MODULE_DIR = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(MODULE_DIR, "imagenet_classes.txt"), "r", encoding="utf-8") as _labels:
    CLASS_NAMES = [line.strip() for line in _labels if line.strip()]

RESIZE = 256
CROP = 224
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


# ---------------------------------------------------------------- ResNet-50

class Bottleneck(nn.Module):
    """1x1 reduce, 3x3 (carrying the stride, as in ResNet v1.5), 1x1 expand by 4; identity or projection."""

    expansion = 4

    def __init__(self, in_channels, width, stride):
        super().__init__()
        out_channels = width * self.expansion
        self.conv1 = nn.Conv2d(in_channels, width, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, out_channels, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x):
        shortcut = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + shortcut)


class ResNet50(nn.Module):
    STAGES = ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2))  # (width, blocks, stride of the first)

    def __init__(self, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        channels = 64
        for index, (width, blocks, stride) in enumerate(self.STAGES, start=1):
            layers = []
            for block in range(blocks):
                layers.append(Bottleneck(channels, width, stride if block == 0 else 1))
                channels = width * Bottleneck.expansion
            setattr(self, "layer%d" % index, nn.Sequential(*layers))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def load_model(weights_path):
    state = torch.load(weights_path, map_location="cpu", weights_only=True)
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]  # a training checkpoint around the weights
    state = {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}
    model = ResNet50(num_classes=state["fc.weight"].shape[0])
    model.load_state_dict(state)
    model.eval()
    return model


# ---------------------------------------------------------------- preprocessing

def preprocess(image):
    """A (1, 3, 224, 224) float tensor, as torchvision's Resize(256), CenterCrop(224), ToTensor, Normalize."""
    image = image.convert("RGB")
    width, height = image.size
    if width <= height:
        size = (RESIZE, int(RESIZE * height / width))
    else:
        size = (int(RESIZE * width / height), RESIZE)
    image = image.resize(size, Image.BILINEAR)
    left = int(round((size[0] - CROP) / 2.0))
    top = int(round((size[1] - CROP) / 2.0))
    image = image.crop((left, top, left + CROP, top + CROP))
    pixels = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8)
    tensor = pixels.view(CROP, CROP, 3).permute(2, 0, 1).float().div_(255.0)
    mean = torch.tensor(MEAN).view(3, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1)
    return ((tensor - mean) / std).unsqueeze(0)


# ---------------------------------------------------------------- handler

model = None


def _scratch_dir():
    return tempfile.mkdtemp(prefix="resnet-", dir=os.environ.get("SEBS_TMP") or None)


def handler(event):
    global model
    bucket = event["bucket"]["bucket"]
    input_prefix = event["bucket"]["input"]
    model_prefix = event["bucket"]["model"]
    key = event["object"]["input"]
    model_key = event["object"]["model"]

    scratch = _scratch_dir()
    try:
        image_path = os.path.join(scratch, os.path.basename(key) or "image")
        image_download_begin = time.perf_counter()
        client.download(bucket, input_prefix + "/" + key, image_path)
        image_download_end = time.perf_counter()

        model_download_time = 0.0
        model_process_time = 0.0
        if model is None:
            weights_path = os.path.join(scratch, os.path.basename(model_key))
            begin = time.perf_counter()
            client.download(bucket, model_prefix + "/" + model_key, weights_path)
            downloaded = time.perf_counter()
            model = load_model(weights_path)
            loaded = time.perf_counter()
            model_download_time = (downloaded - begin) * 1e6
            model_process_time = (loaded - downloaded) * 1e6

        process_begin = time.perf_counter()
        with Image.open(image_path) as image:
            batch = preprocess(image)
        with torch.inference_mode():
            logits = model(batch)
        probabilities = torch.softmax(logits[0], dim=0)
        probability, index = torch.max(probabilities, dim=0)
        process_end = time.perf_counter()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    idx = int(index.item())
    label = CLASS_NAMES[idx] if idx < len(CLASS_NAMES) else str(idx)
    process_time = (process_end - process_begin) * 1e6
    return {
        "result": {"idx": idx, "class": label, "probability": float(probability.item())},
        "measurement": {
            "download_time": (image_download_end - image_download_begin) * 1e6 + model_download_time,
            "compute_time": process_time + model_process_time,
            "model_time": model_process_time,
            "model_download_time": model_download_time,
        },
    }
