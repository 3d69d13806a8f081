"""Opens the GGUF model with llama-cpp-python the way the reference outputs were made.

llama-cpp-python's wheel may be built for the build host's CPU; on machines that report AMX but
do not let processes use it (some VMs), ggml's AMX weight buffers crash with SIGILL. Turning off
the "extra buffer types" keeps the plain CPU kernels, which reproduce the reference logits in
Tests/TransformerTests/Fixtures/logits.json exactly.
"""
import llama_cpp
import llama_cpp.llama as _llama_module

_default_model_params = llama_cpp.llama_model_default_params


def _model_params_without_extra_buffers():
    params = _default_model_params()
    params.use_extra_bufts = False
    return params


_llama_module.llama_cpp.llama_model_default_params = _model_params_without_extra_buffers


def open_model(path, threads, n_ctx=2048, logits_all=False, n_batch=512):
    return llama_cpp.Llama(
        path, n_threads=threads, n_threads_batch=threads, n_ctx=n_ctx, n_batch=n_batch,
        logits_all=logits_all, verbose=False)
