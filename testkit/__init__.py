"""Test doubles and real servers on loopback, shared by the tests and the benchmarks.

Not part of the product (the wheel and the image hold only ``connector``): a Zeebe gateway
double on pyzeebe's protocol, a Camunda REST document API double, moto over HTTP, s3rver,
and small loopback HTTP helpers (recording servers, proxies).
"""
