
import os

# scikit-learn's gradient boosting runs OpenMP threads, one per core. `make test` runs two test processes on two
# cores: four spinning threads on two cores made one training take minutes instead of seconds. One each.
os.environ.setdefault("OMP_NUM_THREADS", "1")
