import coalition_kg


def test_package_has_a_version():
    assert coalition_kg.__version__.count(".") == 2
