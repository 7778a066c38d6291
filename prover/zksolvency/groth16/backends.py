"""The one place a backend is chosen: every stage's implementation, by backend name.

``kernels`` chooses the arithmetic (MSMs, FFTs); a :class:`Backend` adds the
stages built on it, each as its python (reference) or native (Rust) module:

| stage | python | native |
| --- | --- | --- |
| phase-2 key, contribution | ``python_setup`` | ``native_setup`` |
| Groth16 verification | ``python_verify`` | ``native_verify`` |
| dev ptau points | ``python_ptau_dev`` | ``native_ptau_dev`` |
| file sections (ceremonies) | ``kernels.PythonSectionKernels`` | ``kernels.NativeSectionKernels`` |

Shared definitions sit below both (``phase2``, ``phase1``, ``validation``,
``ptau_dev_record``), the entry points above (``setup``, ``verify``,
``ptau_dev``, ``zksolvency.ceremony``): no module of a pair imports the other,
and another backend (a GPU one) is one more :class:`Backend` here.
Every stage works on raw sections (``ZKeyRaw``, LEM bytes); the python
backend decodes and re-encodes around its reference code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from zksolvency.circuit.formats.ptau import PTauFile
from zksolvency.circuit.formats.r1cs import R1CS
from zksolvency.circuit.formats.snarkjs_json import Proof, VerificationKey
from zksolvency.circuit.formats.zkey import (
    ZKeyContribution,
    ZKeyRaw,
    decode_zkey,
    encode_zkey_raw,
    zkey_raw_from_zkey,
)
from zksolvency.groth16 import python_ptau_dev, python_setup
from zksolvency.groth16.kernels import (
    BACKENDS,
    DEFAULT_BACKEND,
    Kernels,
    NativeKernels,
    PythonKernels,
    PythonSectionKernels,
    SectionKernels,
    get_kernels,
)
from zksolvency.groth16.ptau_dev_record import DevSecrets
from zksolvency.groth16.python_verify import verify_python
from zksolvency.groth16.validation import Verification

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Backend:
    """One implementation of every stage (see the module docstring)."""

    name: str
    kernels: Kernels
    sections: SectionKernels
    #: The initial (zero-contribution) key of an R1CS from a prepared ptau, as raw sections.
    new_zkey: Callable[[R1CS, PTauFile, Progress | None], ZKeyRaw]
    #: A key after one contribution: ``(key, record, d)``, C and H divided by ``d``, delta times ``d``.
    apply_contribution: Callable[[ZKeyRaw, ZKeyContribution, int], ZKeyRaw]
    #: The point sections (2-6, 12-15) of a dev ptau, LEM, by section id.
    dev_ptau_points: Callable[[int, DevSecrets], dict[int, bytes]]
    #: Groth16 verification (``MalformedInput`` first, then a :class:`Verification`).
    verify: Callable[[VerificationKey, Sequence[int], Proof], Verification]


def _python_new_zkey(r1cs: R1CS, ptau: PTauFile, progress: Progress | None) -> ZKeyRaw:
    return zkey_raw_from_zkey(python_setup.new_zkey(r1cs, ptau, PythonKernels(), progress))


def _python_contribution(raw: ZKeyRaw, record: ZKeyContribution, delta_secret: int) -> ZKeyRaw:
    zkey = decode_zkey(encode_zkey_raw(raw))
    return zkey_raw_from_zkey(python_setup.contribute(zkey, record, delta_secret))


def _python_backend() -> Backend:
    return Backend(
        name="python",
        kernels=PythonKernels(),
        sections=PythonSectionKernels(),
        new_zkey=_python_new_zkey,
        apply_contribution=_python_contribution,
        dev_ptau_points=python_ptau_dev.dev_ptau_points,
        verify=verify_python,
    )


def _native_backend() -> Backend:
    # Imported here: the native modules need the built extension (``kernels.require_native``).
    from zksolvency.groth16 import native_ptau_dev, native_setup
    from zksolvency.groth16.kernels import NativeSectionKernels
    from zksolvency.groth16.native_verify import verify_native

    return Backend(
        name="native",
        kernels=NativeKernels(),
        sections=NativeSectionKernels(),
        new_zkey=native_setup.new_zkey_raw,
        apply_contribution=native_setup.contribute_raw,
        dev_ptau_points=native_ptau_dev.dev_ptau_points,
        verify=verify_native,
    )


def get_backend(choice: str | Kernels | Backend | None = None) -> Backend:
    """The backend named ``choice`` (or the one of these kernels); ``None``: :data:`DEFAULT_BACKEND`.

    An unknown or unbuilt name raises ``ValueError`` naming the choices (``kernels.get_kernels``).
    """
    if isinstance(choice, Backend):
        return choice
    kernels = choice if choice is not None and not isinstance(choice, str) else get_kernels(choice)
    return _native_backend() if isinstance(kernels, NativeKernels) else _python_backend()


__all__ = ["BACKENDS", "DEFAULT_BACKEND", "Backend", "get_backend"]
