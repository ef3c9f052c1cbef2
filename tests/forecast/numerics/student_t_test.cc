// Student-t quantiles against published table values (and R's qt()).
#include "forecast/numerics/student_t.h"

#include <cmath>

#include <gtest/gtest.h>

#include "forecast/numerics/normal_quantile.h"

namespace horizonscale::numerics {
namespace {

TEST(StudentTTest, TableValues) {
  // Printed tables (3 decimals).
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.706, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 9), 2.262, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.042, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.95, 4), 2.132, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.995, 3), 5.841, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.9995, 10), 4.587, 5e-4);
  // More digits (R's qt), to 1e-6 as required.
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.7062047361747, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.975, 2), 4.30265272974946, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.975, 9), 2.26215716279820, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.04227245630124, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.995, 5), 4.03214298355522, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.95, 2), 2.91998558035372, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.9, 3), 1.63774435369621, 1e-6);
}

TEST(StudentTTest, LimitsAndSymmetry) {
  // df = 1 is Cauchy: tan(π(p − 1/2)).
  for (double p : {0.6, 0.9, 0.99, 0.999}) {
    EXPECT_NEAR(StudentTQuantile(p, 1), std::tan(M_PI * (p - 0.5)),
                1e-9 * std::tan(M_PI * (p - 0.5)));
  }
  // Large df tends to the normal: z_{0.975} = 1.959963984540054.
  EXPECT_NEAR(StudentTQuantile(0.975, 1e7), 1.959963984540054, 1e-6);
  EXPECT_NEAR(NormalQuantile(0.975), 1.959963984540054, 1e-12);
  for (double df : {1.0, 3.0, 7.5, 40.0}) {
    EXPECT_EQ(StudentTQuantile(0.5, df), 0);
    EXPECT_NEAR(StudentTQuantile(0.1, df), -StudentTQuantile(0.9, df), 1e-12);
    // The tail at the quantile is the probability it was asked for.
    EXPECT_NEAR(StudentTUpperTail(StudentTQuantile(0.99, df), df), 0.01, 1e-13);
  }
  EXPECT_TRUE(std::isnan(StudentTQuantile(1.0, 3)));
  EXPECT_TRUE(std::isnan(StudentTQuantile(0.9, 0)));
}

}  // namespace
}  // namespace horizonscale::numerics
