"""Image anchors: found on the real screen (Xvfb and the office form) and on fake screens.

Real-screen tests cut 96 px patches with the recorder's own grabber, as a recording does,
then move, rescale or hide what they show.
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple

import cv2
import numpy as np
import pytest
from targets.form_fixture import OfficeForm, office_form_factory, xdotool

from app.core.macro import Anchor
from app.player.anchors import AnchorLocator, Match, NotFound, wait_for
from app.player.screen import MssScreen, Region, clip_region
from app.recorder.session import AnchorGrabber

__all__ = ["office_form_factory"]  # a fixture used by the tests below

WIDGETS = ("submit", "email", "subscribe")
SIZE = 96


class Recorded(NamedTuple):
    anchor: Anchor
    dx: int  # the click's offset inside the patch
    dy: int

    @property
    def expected(self) -> tuple[int, int]:
        return self.anchor.x, self.anchor.y


def png_of(image: np.ndarray) -> bytes:
    ok, png = cv2.imencode(".png", image)
    assert ok
    return png.tobytes()


def settle(form: OfficeForm) -> None:
    """Give the form one known look. READY can come before the focused name field is
    repainted (its placeholder text then still shows, and the email patch holds part of
    it), and its blinking caret alone costs the email patch 0.07 of score: so put the focus
    in the notes box, away from the patches, move the pointer off (no hover) and wait."""
    form.click("notes")
    xdotool("mousemove", 5, 5)
    time.sleep(0.3)


def cut(form: OfficeForm) -> dict[str, Recorded]:
    """Patches around the widgets' centres, cut as the recorder cuts them."""
    settle(form)
    grabber = AnchorGrabber(SIZE)
    try:
        recorded = {}
        for name in WIDGETS:
            x, y = form.point(name)
            left, top, w, h, png = grabber.grab(x, y)
            recorded[name] = Recorded(Anchor(name, png, left, top, w, h), x - left, y - top)
        return recorded
    finally:
        grabber.close()


def rescaled(anchor: Anchor, factor: float) -> Anchor:
    """The same patch resized by `factor`: what it would look like at another DPI."""
    image = cv2.imdecode(np.frombuffer(anchor.png, np.uint8), cv2.IMREAD_COLOR)
    big = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_LINEAR)
    return Anchor.from_png(f"{anchor.id}-scaled", png_of(big), anchor.x, anchor.y)


def noise_anchor(seed: int = 7) -> Anchor:
    noise = np.random.default_rng(seed).integers(0, 256, (SIZE, SIZE, 3), dtype=np.uint8)
    return Anchor.from_png("noise", png_of(noise), 400, 300)


@pytest.fixture
def screen():
    xdotool("mousemove", 5, 5)  # keep the pointer (and hover effects) off the form
    screen = MssScreen()
    yield screen
    screen.close()


@pytest.fixture
def locator(screen: MssScreen) -> AnchorLocator:
    return AnchorLocator(screen)


# ---------------------------------------------------------------- the real screen


def test_found_in_place_near(office_form_factory, locator: AnchorLocator):
    form = office_form_factory()
    for name, rec in cut(form).items():
        found = locator.locate(rec.anchor, rec.expected)
        assert isinstance(found, Match), (name, found)
        assert found.stage == "near"
        assert found.score > 0.95
        assert (found.left, found.top, found.scale) == (rec.anchor.x, rec.anchor.y, 1.0)
        assert found.point(rec.dx, rec.dy) == form.point(name)


def test_found_after_the_window_moved(office_form_factory, locator: AnchorLocator):
    first = office_form_factory()
    recorded = cut(first)
    first.stop()
    second = office_form_factory(x=300, y=250)
    settle(second)
    for name, rec in recorded.items():
        for expected in (rec.expected, None):
            found = locator.locate(rec.anchor, expected)
            assert isinstance(found, Match), (name, found)
            assert found.stage in (("near", "screen") if expected else ("screen",))
            assert found.score > 0.95
            x, y = found.point(rec.dx, rec.dy)
            nx, ny = second.point(name)
            assert abs(x - nx) <= 1 and abs(y - ny) <= 1, (name, (x, y), (nx, ny))


def test_a_patch_recorded_at_125_percent_is_found_scaled(
    office_form_factory, locator: AnchorLocator
):
    form = office_form_factory()
    for name, rec in cut(form).items():
        big = rescaled(rec.anchor, 1.25)  # recorded at 125 %, replayed at 100 %
        found = locator.locate(big, rec.expected)
        assert isinstance(found, Match), (name, found)
        assert found.stage == "scaled"
        assert found.scale == pytest.approx(0.8)  # the template shrinks to fit the screen
        assert found.score > 0.9
        x, y = found.point(rec.dx * 1.25, rec.dy * 1.25)
        cx, cy = form.point(name)
        assert abs(x - cx) <= 2 and abs(y - cy) <= 2, (name, (x, y), (cx, cy))


def test_what_is_not_on_screen_is_not_found(office_form_factory, locator: AnchorLocator):
    office_form_factory()
    found = locator.locate(noise_anchor(), (400, 300))
    assert isinstance(found, NotFound)
    assert found.best_score < 0.5


def test_a_flat_patch_is_not_locatable(office_form_factory, locator: AnchorLocator):
    form = office_form_factory()
    grey = np.full((SIZE, SIZE, 3), 200, np.uint8)
    assert locator.locate(Anchor.from_png("flat", png_of(grey), 10, 10)) == NotFound(0.0)
    # An empty stretch of the real desktop, below the form: black, so also flat.
    x, y, w, h = form.geometry
    grabber = AnchorGrabber(SIZE)
    try:
        left, top, w, h, png = grabber.grab(x + 100, y + h + 100)
    finally:
        grabber.close()
    empty = Anchor("empty", png, left, top, w, h)
    assert locator.locate(empty, (left, top)) == NotFound(0.0)


def test_wait_for_a_window_that_appears_later(office_form_factory, locator: AnchorLocator):
    first = office_form_factory()
    rec = cut(first)["submit"]
    first.stop()
    gone = time.monotonic() + 5
    while isinstance(locator.locate(rec.anchor, rec.expected), Match):
        assert time.monotonic() < gone, "the stopped form is still on screen"
        time.sleep(0.05)

    errors: list[BaseException] = []
    forms: list[OfficeForm] = []

    def start_later() -> None:
        time.sleep(0.5)
        try:
            forms.append(office_form_factory())
        except BaseException as error:
            errors.append(error)

    starter = threading.Thread(target=start_later)
    t0 = time.monotonic()
    starter.start()
    try:
        found = wait_for(locator, rec.anchor, 30, expected=rec.expected)
    finally:
        starter.join(30)
    elapsed = time.monotonic() - t0
    assert not errors, errors
    assert isinstance(found, Match), found
    assert elapsed >= 0.5
    assert found.point(rec.dx, rec.dy) == forms[0].point("submit")


def test_wait_for_gives_up_after_the_timeout(locator: AnchorLocator):
    anchor = noise_anchor()
    t0 = time.monotonic()
    locator.locate(anchor, (400, 300))  # the dearest poll: all stages
    one_search = time.monotonic() - t0

    t0 = time.monotonic()
    found = wait_for(locator, anchor, 0.5, poll=0.1, expected=(400, 300))
    elapsed = time.monotonic() - t0
    assert isinstance(found, NotFound)
    assert found.best_score < 0.5
    # the timeout, then at most the search under way and the last full one, measured against
    # this machine's own search time (a busy machine is slow at both)
    assert 0.5 <= elapsed < 0.5 + 0.1 + 3 * one_search + 0.3


def test_wait_for_stops_when_asked(locator: AnchorLocator):
    anchor = noise_anchor()
    t0 = time.monotonic()
    locator.locate(anchor, (400, 300))  # the dearest poll: all stages
    one_search = time.monotonic() - t0

    stop_at = time.monotonic() + 0.3
    found = wait_for(
        locator,
        anchor,
        30,
        poll=0.1,
        should_stop=lambda: time.monotonic() >= stop_at,
        expected=(400, 300),
    )
    late = time.monotonic() - stop_at
    assert isinstance(found, NotFound)
    assert late < 0.1 + one_search + 0.2  # within one poll (plus the search under way)


def test_real_screen_grabs(screen: MssScreen):
    left, top, width, height = screen.bounds()
    assert width > 100 and height > 100
    frame, fx, fy = screen.grab_grey()
    assert frame.shape == (height, width) and frame.dtype == np.uint8 and (fx, fy) == (left, top)
    part, px, py = screen.grab_grey((width - 50, -20, 100, 60))  # clipped to the desktop
    assert part.shape == (40, 50) and (px, py) == (width - 50, 0)
    assert np.array_equal(part, frame[0:40, width - 50 : width])
    assert screen.grab_grey((width + 10, 0, 20, 20))[0].shape == (0, 0)
    png = screen.grab_png()
    assert cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR).shape == (height, width, 3)


# ---------------------------------------------------------------- fake screens


class FakeScreen:
    """A Screen over a fixed greyscale picture whose top-left sits at (left, top)."""

    def __init__(self, image: np.ndarray, left: int = 0, top: int = 0):
        self.image, self.left, self.top = image, left, top
        self.grabs = 0

    def bounds(self) -> Region:
        return self.left, self.top, self.image.shape[1], self.image.shape[0]

    def grab_grey(self, region: Region | None = None) -> tuple[np.ndarray, int, int]:
        self.grabs += 1
        x, y, w, h = clip_region(region or self.bounds(), self.bounds())
        cx, cy = x - self.left, y - self.top
        return self.image[cy : cy + h, cx : cx + w].copy(), x, y

    def grab_png(self) -> bytes:
        return png_of(self.image)


def busy_desktop(width: int = 1280, height: int = 800, seed: int = 1) -> np.ndarray:
    """A colourful picture of boxes and words, as BGR."""
    rng = np.random.default_rng(seed)
    image = np.full((height, width, 3), 235, np.uint8)
    for _ in range(150):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        w, h = int(rng.integers(20, 200)), int(rng.integers(10, 80))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        cv2.rectangle(image, (x, y), (x + w, y + h), colour, -1 if rng.random() < 0.5 else 2)
    for i in range(120):
        x, y = int(rng.integers(0, width - 100)), int(rng.integers(15, height))
        colour = tuple(int(c) for c in rng.integers(0, 160, 3))
        cv2.putText(image, f"Item {i} ok", (x, y), cv2.FONT_HERSHEY_SIMPLEX, 0.5, colour, 1)
    return image


def fake_anchor(image: np.ndarray, x: int, y: int, left: int = 0, top: int = 0) -> Anchor:
    """The 96 px patch at (x, y) of the picture, placed on a desktop whose origin is left, top."""
    patch = image[y : y + SIZE, x : x + SIZE]
    return Anchor.from_png(f"p{x}-{y}", png_of(patch), left + x, top + y)


def grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def test_match_point_scales_the_offset():
    assert Match(10, 20, 0.8, 0.99, "scaled").point(50, 25) == (50, 40)
    assert Match(-1930, 5, 1.0, 1.0, "near").point(48, 48) == (-1882, 53)


def test_fake_desktop_left_of_the_main_monitor():
    image = busy_desktop()
    screen = FakeScreen(grey(image), left=-1280, top=-100)
    locator = AnchorLocator(screen)
    anchor = fake_anchor(image, 600, 300, left=-1280, top=-100)
    found = locator.locate(anchor, (anchor.x + 37, anchor.y - 50))
    assert isinstance(found, Match)
    assert (found.left, found.top, found.stage) == (-680, 200, "near")
    assert screen.grabs == 1  # one frame per locate, cropped for the near stage


@pytest.mark.parametrize("expected", [(-5000, 300), (5000, 300), (600, -5000), (600, 5000)])
def test_fake_expected_far_off_the_desktop_falls_back_to_the_screen(expected):
    image = busy_desktop()
    anchor = fake_anchor(image, 600, 300)
    found = AnchorLocator(FakeScreen(grey(image))).locate(anchor, expected)
    assert isinstance(found, Match)
    assert (found.left, found.top, found.stage) == (600, 300, "screen")


@pytest.mark.parametrize(
    "x, y", [(0, 704), (1184, 0), (601, 301), (733, 98), (1184, 704), (1183, 703)]
)
def test_fake_whole_screen_search_is_pixel_exact(x, y):
    """The half-resolution pass must not cost a pixel, at odd places and at the edges."""
    image = busy_desktop()
    anchor = fake_anchor(image, x, y)
    found = AnchorLocator(FakeScreen(grey(image))).locate(anchor)
    assert isinstance(found, Match)
    assert (found.left, found.top, found.stage) == (x, y, "screen")
    assert found.score > 0.999


def test_fake_screen_at_125_percent():
    """A macro recorded at 100 % replayed on a screen drawn 1.25 times as large."""
    image = busy_desktop()
    big = cv2.resize(grey(image), None, fx=1.25, fy=1.25, interpolation=cv2.INTER_LINEAR)
    locator = AnchorLocator(FakeScreen(big))
    anchor = fake_anchor(image, 600, 300)
    found = locator.locate(anchor, (750, 375))
    assert isinstance(found, Match)
    assert (found.stage, found.scale) == ("scaled", pytest.approx(1.25))
    assert abs(found.left - 750) <= 1 and abs(found.top - 375) <= 1
    x, y = found.point(48, 48)
    assert abs(x - 810) <= 1 and abs(y - 435) <= 1
    # A caller that knows the scale gets the cheap near stage.
    hinted = locator.locate(anchor, (750, 375), scale_hint=1.25)
    assert isinstance(hinted, Match)
    assert (hinted.stage, hinted.scale) == ("near", 1.25)
    # And without the scaled stage it is not found.
    assert isinstance(locator.locate(anchor, (750, 375), scaled=False), NotFound)


def test_fake_a_changed_patch_under_the_same_id_is_decoded_again():
    image = busy_desktop()
    locator = AnchorLocator(FakeScreen(grey(image)))
    one = fake_anchor(image, 100, 100)
    two = Anchor.from_png(one.id, fake_anchor(image, 900, 500).png, 900, 500)
    for anchor in (one, two, one):
        found = locator.locate(anchor, (anchor.x, anchor.y))
        assert isinstance(found, Match)
        assert (found.left, found.top) == (anchor.x, anchor.y)


def test_fake_best_score_when_below_confidence():
    image = busy_desktop()
    anchor = fake_anchor(image, 600, 300)
    changed = image.copy()
    cv2.putText(changed, "XXXXXXX", (600, 350), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 6)
    found = AnchorLocator(FakeScreen(grey(changed)), confidence=0.99).locate(anchor, (600, 300))
    assert isinstance(found, NotFound)
    assert 0.3 < found.best_score < 0.99
    assert isinstance(AnchorLocator(FakeScreen(grey(changed)), 0.3).locate(anchor), Match)


def test_fake_flat_patch_and_corrupt_png():
    screen = FakeScreen(grey(busy_desktop()))
    locator = AnchorLocator(screen)
    flat = np.full((SIZE, SIZE, 3), 235, np.uint8)
    assert locator.locate(Anchor.from_png("flat", png_of(flat), 0, 0)) == NotFound(0.0)
    broken = png_of(flat)[:40]
    with pytest.raises(ValueError, match="cannot be decoded"):
        locator.locate(Anchor("broken", broken, 0, 0, SIZE, SIZE))
