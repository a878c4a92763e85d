"""Message buses: in-process event hub and brokers, and the video job bus (DESIGN.md §2).

Import the submodules (`watchparty.bus.jobs`, ...); this package imports nothing, so using
one bus never loads the dependencies of another.
"""
