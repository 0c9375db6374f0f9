package ae.autodiff;

/**
 * Elementwise activations. Derivatives are expressed through the activation's output {@code h = act(a)}, so a
 * layer that overwrites its pre-activation with the activation in place can still differentiate, and the fused
 * penalties (which need the second derivative) never recompute transcendental functions of {@code a}.
 */
public enum Activation {
    IDENTITY {
        @Override
        public double apply(double a) {
            return a;
        }

        @Override
        public double derivativeFromOutput(double h) {
            return 1;
        }

        @Override
        public double secondDerivativeFromOutput(double h) {
            return 0;
        }
    },
    SIGMOID {
        @Override
        public double apply(double a) {
            if (a >= 0) {
                return 1 / (1 + Math.exp(-a));
            }
            double e = Math.exp(a);
            return e / (1 + e);
        }

        @Override
        public double derivativeFromOutput(double h) {
            return h * (1 - h);
        }

        @Override
        public double secondDerivativeFromOutput(double h) {
            return h * (1 - h) * (1 - 2 * h);
        }
    },
    TANH {
        @Override
        public double apply(double a) {
            return Math.tanh(a);
        }

        @Override
        public double derivativeFromOutput(double h) {
            return 1 - h * h;
        }

        @Override
        public double secondDerivativeFromOutput(double h) {
            return -2 * h * (1 - h * h);
        }
    },
    RELU {
        @Override
        public double apply(double a) {
            return a > 0 ? a : 0;
        }

        @Override
        public double derivativeFromOutput(double h) {
            return h > 0 ? 1 : 0;
        }

        @Override
        public double secondDerivativeFromOutput(double h) {
            return 0;
        }
    },
    SOFTPLUS {
        @Override
        public double apply(double a) {
            return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
        }

        /** sigmoid(a) = 1 - exp(-softplus(a)); expm1 keeps it accurate where a is very negative and h tiny. */
        @Override
        public double derivativeFromOutput(double h) {
            return -Math.expm1(-h);
        }

        @Override
        public double secondDerivativeFromOutput(double h) {
            double s = -Math.expm1(-h);
            return s * (1 - s);
        }
    };

    /** act(a). */
    public abstract double apply(double a);

    /** act'(a) written in terms of h = act(a). */
    public abstract double derivativeFromOutput(double h);

    /** act''(a) written in terms of h = act(a); 0 for ReLU (almost everywhere). */
    public abstract double secondDerivativeFromOutput(double h);
}
