# The namespace package "azure" of the stand-in's azure.functions shim (see functions/__init__.py).
